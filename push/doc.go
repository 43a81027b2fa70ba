// Package push gets work orders and notices to devices: the staff WebSocket
// hub that delivers each unit's orders live, and providers (signed webhooks)
// for external gateways such as mini-program subscription messages.
package push
