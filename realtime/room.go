package realtime

import (
	"sync"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Invite is one invited participant.
type Invite struct {
	ParticipantID string `json:"participant_id"`
	Role          Role   `json:"role"`
	Name          string `json:"name"`
}

// RoomSpec is what the scheduler knows of a room before anyone joins.
type RoomSpec struct {
	ID        string
	Owner     Owner
	NotBefore time.Time // zero: open now
	NotAfter  time.Time // zero: open until ended or empty
	// Invited lists who may join and as what; a token for anyone else, or
	// in another role, is refused.
	Invited []Invite
	// Ended and Removed are what the scheduler stored of the room's past:
	// an ended room is never reopened, removed participants never rejoin.
	Ended           bool
	Removed         []string
	MaxParticipants int // 0: the hub's default
	MaxBitrate      int // bits/s per video publisher; 0: the hub's default
}

func (s RoomSpec) validate() error {
	var fields []domain.FieldError
	if !validID(s.ID) {
		fields = append(fields, domain.FieldError{Field: "id", Code: domain.FieldInvalid, Message: "1–64 letters, digits, '-', '_', '.'"})
	}
	if !s.NotAfter.IsZero() && !s.NotBefore.IsZero() && !s.NotAfter.After(s.NotBefore) {
		fields = append(fields, domain.FieldError{Field: "not_after", Code: domain.FieldOutOfRange, Message: "must be after not_before"})
	}
	for _, inv := range s.Invited {
		if !validID(inv.ParticipantID) || !inv.Role.Valid() {
			fields = append(fields, domain.FieldError{Field: "invited", Code: domain.FieldInvalid, Message: "each invite needs a participant id and a role"})
			break
		}
	}
	if len(fields) > 0 {
		return domain.Invalid(fields...)
	}
	return nil
}

// Reasons a participant's session ends.
const (
	reasonLeft     = "left"
	reasonDropped  = "dropped"
	reasonFailed   = "ice_failed"
	reasonSlow     = "too_slow"
	reasonBad      = "bad_messages"
	reasonKicked   = "kicked"
	reasonDenied   = "denied"
	reasonReplaced = "replaced"
	reasonEnded    = "ended"
)

// EndServerShutdown is the end reason of rooms closed by a server stopping:
// the only end that is not final, since the room resumes after the restart.
const EndServerShutdown = "server_shutdown"

// Room is one video mediation session on this node.
type Room struct {
	hub *Hub

	mu           sync.Mutex
	spec         RoomSpec
	participants map[string]*participant // connected, lobby included
	admittedIDs  map[string]bool         // admitted once; survives a drop within the grace period
	banned       map[string]bool         // removed or denied: the token no longer works here
	mutes        map[string]map[string]bool
	tracks       map[string]*forwardTrack
	grace        map[string]*time.Timer
	emptyTimer   *time.Timer
	windowTimer  *time.Timer
	ended        bool
}

func newRoom(h *Hub, spec RoomSpec) *Room {
	r := &Room{hub: h, spec: spec, participants: map[string]*participant{}, admittedIDs: map[string]bool{},
		banned: map[string]bool{}, mutes: map[string]map[string]bool{}, tracks: map[string]*forwardTrack{},
		grace: map[string]*time.Timer{}}
	for _, id := range spec.Removed {
		r.banned[id] = true
	}
	r.armWindow()
	return r
}

// armWindow ends the room when its time window closes. Called with r.mu
// held or before the room is shared.
func (r *Room) armWindow() {
	if r.windowTimer != nil {
		r.windowTimer.Stop()
		r.windowTimer = nil
	}
	if !r.spec.NotAfter.IsZero() {
		r.windowTimer = time.AfterFunc(r.spec.NotAfter.Sub(r.hub.now()), func() { r.end("window_closed", "") })
	}
}

// update takes a rescheduled spec. ID and Owner never change and are read
// without the lock (events, logs), so only the schedule and the limits are
// written, under it.
func (r *Room) update(spec RoomSpec) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.spec.NotBefore, r.spec.NotAfter, r.spec.Invited = spec.NotBefore, spec.NotAfter, spec.Invited
	r.spec.MaxParticipants, r.spec.MaxBitrate = spec.MaxParticipants, spec.MaxBitrate
	for _, id := range spec.Removed { // removed on another instance
		r.banned[id] = true
	}
	r.armWindow()
}

// ID is the room's identifier.
func (r *Room) ID() string { return r.spec.ID }

func (r *Room) maxParticipants() int {
	if r.spec.MaxParticipants > 0 {
		return r.spec.MaxParticipants
	}
	return r.hub.cfg.MaxParticipants
}

func (r *Room) maxBitrate() int {
	if r.spec.MaxBitrate > 0 {
		return r.spec.MaxBitrate
	}
	return r.hub.cfg.MaxBitrate
}

// ParticipantInfo is how participants are shown to each other.
type ParticipantInfo struct {
	ID    string          `json:"id"`
	Name  string          `json:"name"`
	Role  Role            `json:"role"`
	Muted map[string]bool `json:"muted,omitempty"`
}

func (r *Room) infoLocked(p *participant) ParticipantInfo {
	m := map[string]bool{}
	for k, v := range r.mutes[p.id] {
		if v {
			m[k] = true
		}
	}
	return ParticipantInfo{ID: p.id, Name: p.name, Role: p.role, Muted: m}
}

func (r *Room) admittedLocked(except ...*participant) []*participant {
	var out []*participant
next:
	for _, q := range r.participants {
		if !q.admitted {
			continue
		}
		for _, e := range except {
			if q == e {
				continue next
			}
		}
		out = append(out, q)
	}
	return out
}

func (r *Room) hostsLocked() []*participant {
	var out []*participant
	for _, q := range r.participants {
		if q.role == RoleHost {
			out = append(out, q)
		}
	}
	return out
}

func (r *Room) lobbyLocked() []ParticipantInfo {
	out := []ParticipantInfo{}
	for _, q := range r.participants {
		if !q.admitted {
			out = append(out, r.infoLocked(q))
		}
	}
	return out
}

type welcomeData struct {
	Room         string            `json:"room"`
	Owner        Owner             `json:"owner"`
	You          ParticipantInfo   `json:"you"`
	State        string            `json:"state"` // lobby or admitted
	Participants []ParticipantInfo `json:"participants"`
	Lobby        []ParticipantInfo `json:"lobby,omitempty"`
	Recording    bool              `json:"recording"`
	MaxBitrate   int               `json:"max_bitrate"`
	NotAfter     *time.Time        `json:"not_after,omitempty"`
}

func (r *Room) welcomeLocked(p *participant) []byte {
	w := welcomeData{Room: r.spec.ID, Owner: r.spec.Owner, You: r.infoLocked(p), State: "lobby",
		Participants: []ParticipantInfo{}, Recording: r.hub.deps.Storage != nil, MaxBitrate: r.maxBitrate()}
	if p.admitted {
		w.State = "admitted"
		for _, q := range r.admittedLocked(p) {
			if !q.role.listed() {
				continue
			}
			w.Participants = append(w.Participants, r.infoLocked(q))
		}
	}
	if p.role == RoleHost {
		w.Lobby = r.lobbyLocked()
	}
	if !r.spec.NotAfter.IsZero() {
		t := r.spec.NotAfter
		w.NotAfter = &t
	}
	return encode(TypeWelcome, w)
}

func (r *Room) event(kind string, p *participant, by, detail string) {
	r.hub.emit(Event{RoomID: r.spec.ID, Owner: r.spec.Owner, Kind: kind, ParticipantID: p.id, Role: p.role, ByID: by,
		Detail: detail, At: r.hub.now()})
}

// enter adds a verified participant: window, invitation, removal and
// capacity are checked here, a previous connection of the same identity is
// replaced, and the lobby decides whether media may start.
func (r *Room) enter(p *participant) error {
	now := r.hub.now()
	r.mu.Lock()
	switch {
	case r.ended:
		r.mu.Unlock()
		return domain.Errorf(domain.KindFailedPrecondition, "room.ended", "This mediation session has ended.")
	case !r.spec.NotBefore.IsZero() && now.Before(r.spec.NotBefore):
		r.mu.Unlock()
		return domain.Errorf(domain.KindFailedPrecondition, "room.not_open", "This mediation session has not started yet.")
	case !r.spec.NotAfter.IsZero() && !now.Before(r.spec.NotAfter):
		r.mu.Unlock()
		return domain.Errorf(domain.KindFailedPrecondition, "room.closed", "This mediation session's time is over.")
	case r.banned[p.id]:
		r.mu.Unlock()
		return domain.Errorf(domain.KindForbidden, "room.removed", "You were removed from this session.")
	}
	if len(r.spec.Invited) > 0 {
		invited := false
		for _, inv := range r.spec.Invited {
			if inv.ParticipantID == p.id && inv.Role == p.role {
				invited = true
				if p.name == "" {
					p.name = inv.Name
				}
			}
		}
		if !invited {
			r.mu.Unlock()
			return domain.Errorf(domain.KindForbidden, "room.not_invited", "You are not invited to this session.")
		}
	}
	old := r.participants[p.id]
	if old == nil && len(r.participants) >= r.maxParticipants() {
		r.mu.Unlock()
		return domain.Errorf(domain.KindFailedPrecondition, "room.full", "This session is full.")
	}
	r.participants[p.id] = p
	detail := ""
	if t := r.grace[p.id]; t != nil {
		t.Stop()
		delete(r.grace, p.id)
		detail = "rejoined"
	}
	if old != nil {
		detail = "replaced_connection"
	}
	if r.emptyTimer != nil {
		r.emptyTimer.Stop()
		r.emptyTimer = nil
	}
	p.admitted = !p.role.waitsInLobby() || r.admittedIDs[p.id]
	if p.admitted {
		r.admittedIDs[p.id] = true
	} else if detail == "" {
		detail = "lobby"
	}
	admitted := p.admitted
	welcome := r.welcomeLocked(p)
	joined := encode(TypeJoined, r.infoLocked(p))
	others := r.admittedLocked(p, old)
	hosts, lobby := r.hostsLocked(), r.lobbyLocked()
	r.mu.Unlock()

	if old != nil {
		old.terminate(reasonReplaced, encode(TypeReplaced, map[string]string{"reason": "the same participant joined from another connection"}))
	}
	p.send(welcome)
	if admitted {
		for _, q := range others {
			if p.role.listed() {
				q.send(joined)
			}
		}
	} else {
		lobbyMsg := encode(TypeLobby, map[string]any{"lobby": lobby})
		for _, q := range hosts {
			q.send(lobbyMsg)
		}
	}
	r.event(EventJoined, p, "", detail)
	if admitted {
		p.startMedia()
	}
	return nil
}

// remove takes a finished participant out. It runs once per participant,
// from terminate.
func (r *Room) remove(p *participant, reason string) {
	r.mu.Lock()
	current := r.participants[p.id] == p
	if current {
		delete(r.participants, p.id)
	}
	hadTracks := false
	for k, t := range r.tracks {
		if t.pub == p {
			delete(r.tracks, k)
			hadTracks = true
		}
	}
	switch reason {
	case reasonDropped, reasonFailed, reasonSlow:
		// Keep the admission for a while: a phone switching networks comes
		// back without waiting in the lobby again.
		if current && !r.ended && p.admitted {
			id := p.id
			if t := r.grace[id]; t != nil {
				t.Stop()
			}
			r.grace[id] = time.AfterFunc(r.hub.cfg.ReconnectGrace, func() { r.graceExpired(id) })
		}
	case reasonLeft:
		delete(r.admittedIDs, p.id)
	case reasonKicked, reasonDenied:
		delete(r.admittedIDs, p.id)
		r.banned[p.id] = true
	}
	if current && len(r.participants) == 0 && !r.ended && r.emptyTimer == nil {
		r.emptyTimer = time.AfterFunc(r.hub.cfg.ReconnectGrace, r.endIfEmpty)
	}
	ended := r.ended
	left := encode(TypeLeft, map[string]string{"participant": p.id, "reason": reason})
	var others []*participant
	if (current && p.admitted) || hadTracks {
		others = r.admittedLocked(p)
	}
	var hosts []*participant
	var lobby []ParticipantInfo
	if current && !p.admitted {
		hosts, lobby = r.hostsLocked(), r.lobbyLocked()
	}
	r.mu.Unlock()

	if ended {
		return
	}
	if !current { // replaced by a newer connection: the others only lose its tracks
		for _, q := range others {
			q.negotiate(false)
		}
		return
	}
	for _, q := range others {
		if p.role.listed() {
			q.send(left)
		}
	}
	if hosts != nil {
		msg := encode(TypeLobby, map[string]any{"lobby": lobby})
		for _, q := range hosts {
			q.send(msg)
		}
	}
	switch reason {
	case reasonKicked, reasonDenied: // the host's action emitted its own event
	default:
		r.event(EventLeft, p, "", reason)
	}
	for _, q := range others {
		q.negotiate(false)
	}
}

func (r *Room) graceExpired(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.grace, id)
	if r.participants[id] == nil {
		delete(r.admittedIDs, id)
	}
}

func (r *Room) endIfEmpty() {
	r.mu.Lock()
	empty := len(r.participants) == 0
	r.emptyTimer = nil
	r.mu.Unlock()
	if empty && r.spec.NotAfter.IsZero() {
		r.end("empty", "")
	}
}

// end closes the room: everyone is told and disconnected, every recording
// is finalised by its forwarding goroutine.
func (r *Room) end(reason, by string) {
	r.mu.Lock()
	if r.ended {
		r.mu.Unlock()
		return
	}
	r.ended = true
	for id, t := range r.grace {
		t.Stop()
		delete(r.grace, id)
	}
	if r.emptyTimer != nil {
		r.emptyTimer.Stop()
	}
	if r.windowTimer != nil {
		r.windowTimer.Stop()
	}
	ps := make([]*participant, 0, len(r.participants))
	for _, p := range r.participants {
		ps = append(ps, p)
	}
	r.mu.Unlock()
	msg := encode(TypeEnded, map[string]string{"reason": reason, "by": by})
	for _, p := range ps {
		p.terminate(reasonEnded, msg)
	}
	r.hub.forget(r, reason)
	r.hub.emit(Event{RoomID: r.spec.ID, Owner: r.spec.Owner, Kind: EventEnded, ByID: by, Detail: reason, At: r.hub.now()})
}

// Participants lists who is connected (lobby included), for admin views.
func (r *Room) Participants() []ParticipantInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]ParticipantInfo, 0, len(r.participants))
	for _, p := range r.participants {
		out = append(out, r.infoLocked(p))
	}
	return out
}

// --- host actions ---

func (r *Room) admitFromLobby(host *participant, id string) error {
	r.mu.Lock()
	t := r.participants[id]
	if t == nil || t.admitted {
		r.mu.Unlock()
		return badMessage("lobby.not_waiting", "no such participant in the lobby")
	}
	t.admitted = true
	r.admittedIDs[id] = true
	others := r.admittedLocked(t)
	infos := make([]ParticipantInfo, 0, len(others))
	for _, q := range others {
		infos = append(infos, r.infoLocked(q))
	}
	joined := encode(TypeJoined, r.infoLocked(t))
	hosts, lobby := r.hostsLocked(), r.lobbyLocked()
	r.mu.Unlock()

	t.send(encode(TypeAdmitted, map[string]any{"by": host.id, "participants": infos}))
	for _, q := range others {
		q.send(joined)
	}
	msg := encode(TypeLobby, map[string]any{"lobby": lobby})
	for _, q := range hosts {
		q.send(msg)
	}
	r.event(EventAdmitted, t, host.id, "")
	t.startMedia()
	return nil
}

func (r *Room) denyFromLobby(host *participant, id string) error {
	r.mu.Lock()
	t := r.participants[id]
	waiting := t != nil && !t.admitted
	r.mu.Unlock()
	if !waiting {
		return badMessage("lobby.not_waiting", "no such participant in the lobby")
	}
	r.event(EventDenied, t, host.id, "")
	t.terminate(reasonDenied, encode(TypeDenied, map[string]string{"by": host.id}))
	return nil
}

func (r *Room) kick(host *participant, id string) error {
	if id == host.id {
		return badMessage("kick.self", "a host cannot remove themselves; send leave")
	}
	r.mu.Lock()
	t := r.participants[id]
	if t == nil {
		// Someone who dropped and may come back within the grace period is
		// removed all the same.
		if _, known := r.grace[id]; known {
			r.grace[id].Stop()
			delete(r.grace, id)
			delete(r.admittedIDs, id)
			r.banned[id] = true
			r.mu.Unlock()
			r.hub.emit(Event{RoomID: r.spec.ID, Owner: r.spec.Owner, Kind: EventRemoved, ParticipantID: id, ByID: host.id, At: r.hub.now()})
			return nil
		}
		r.mu.Unlock()
		return badMessage("participant.not_found", "no such participant")
	}
	r.mu.Unlock()
	r.event(EventRemoved, t, host.id, "")
	t.terminate(reasonKicked, encode(TypeKicked, map[string]string{"by": host.id}))
	return nil
}

// setMute records a mute state and, for a muted track, stops forwarding it
// (server-enforced, not a request to the client). A host may mute anyone;
// only the participant may unmute themselves.
func (r *Room) setMute(by *participant, m MuteData) error {
	id := m.Participant
	if id == "" {
		id = by.id
	}
	if id != by.id {
		if by.role != RoleHost {
			return badMessage("forbidden", "only a host may mute others")
		}
		if !m.Muted {
			return badMessage("mute.remote_unmute", "only the participant may unmute themselves")
		}
	}
	r.mu.Lock()
	t := r.participants[id]
	if t == nil {
		r.mu.Unlock()
		return badMessage("participant.not_found", "no such participant")
	}
	if r.mutes[id] == nil {
		r.mutes[id] = map[string]bool{}
	}
	r.mutes[id][m.Kind] = m.Muted
	for _, ft := range r.tracks {
		if ft.pub == t && ft.kind == m.Kind {
			ft.muted.Store(m.Muted)
		}
	}
	var targets []*participant
	if t.admitted {
		targets = r.admittedLocked()
	} else {
		targets = append(r.hostsLocked(), t)
	}
	r.mu.Unlock()
	msg := encode(TypeMute, map[string]any{"participant": id, "kind": m.Kind, "muted": m.Muted, "by": by.id})
	for _, q := range targets {
		q.send(msg)
	}
	kind := EventMuted
	if !m.Muted {
		kind = EventUnmuted
	}
	byID := ""
	if by.id != id {
		byID = by.id
	}
	r.event(kind, t, byID, m.Kind)
	return nil
}

func (r *Room) isMuted(id, kind string) bool {
	return r.mutes[id][kind]
}
