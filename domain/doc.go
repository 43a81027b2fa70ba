// Package domain holds what Tiaojie's business is: types, rules, state
// machines and the error model, plus the interfaces (ports) the rules need.
//
// It imports the standard library only. Storage, queues, HTTP and media live
// in infra/, api/, push/ and realtime/, which import domain — never the other
// way round (domain/arch_test.go checks it).
package domain
