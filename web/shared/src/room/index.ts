// The video room both apps host. RoomView takes the room ID, the typed API
// client of the host app (with its session's middleware), an optional name
// for the person and a compact layout for embedding; it emits `ended` when
// the call ends and `exit` (with the same reason) when the person leaves the
// end screen.
export { default as RoomView } from './RoomView.vue'
export { Call, checkNetwork, displayName, roleNames, signalURL, type Person } from './call'
export { type CallState, type EndReason, type Phase, endText, endTitles, errorText, reduce } from './machine'
export { classify, mediaAvailability, quality, type Quality } from './media'
