// Package warning is early warning (预警): rules over sliding-window counts
// of what happens — the same person filing again and again, one kind of
// dispute gathering in one community, a high risk assessment, a household
// with domestic violence coming back, loan consultations piling up at a
// station — and the warnings they raise, each with an instruction sheet
// (预警指令单) sent to the units that must act, handled and closed with an
// outcome (化解 / 消除隐患 / 误报).
package warning
