package realtime

// What the tests in realtime_test read from inside the package; they are
// external so they can use rtctest, which imports realtime.

// ReasonDropped is why a participant whose socket broke has left.
const ReasonDropped = reasonDropped

// GracePending is how many dropped participants the room still keeps a
// place for until their grace period ends.
func (r *Room) GracePending() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.grace)
}
