package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/tiaojie/tiaojie/domain"
	m "github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/realtime"
)

// RoomService is what the room handlers need of the mediation domain.
type RoomService interface {
	OpenRoom(ctx context.Context, a domain.Actor, requestID int64, from, to time.Time) (*m.VideoRoom, error)
	JoinGrant(ctx context.Context, a domain.Actor, roomID string) (*m.VideoRoom, m.RoomInvite, error)
	MayReviewRecordings(ctx context.Context, a domain.Actor, roomID string) (*m.VideoRoom, error)
}

// RecordingReader lists and finds recordings.
type RecordingReader interface {
	RecordingsOf(ctx context.Context, roomID string) ([]realtime.Recording, error)
	Recording(ctx context.Context, id string) (realtime.Recording, error)
}

// RTC is the video side: the SFU hub, room tokens, ICE servers and the
// recordings with their files.
type RTC struct {
	Hub        *realtime.Hub
	Tokens     *realtime.RoomTokens
	ICE        realtime.ICEConfig
	Recordings RecordingReader
	Files      m.FileStorage
	// Origins allowed to open the signalling socket from a browser (the
	// same list as CORS); empty means same-origin pages and native apps.
	Origins []string
	// Placement says which instance hosts each room, and Self is this
	// instance's public base URL; nil runs every room here.
	Placement RoomPlacement
	Self      string
}

// RoomPlacement records the instance hosting each room.
type RoomPlacement interface {
	Place(ctx context.Context, roomID, self string, until time.Time) (string, error)
	Owner(ctx context.Context, roomID string) (string, bool, error)
}

type roomDTO struct {
	ID        string      `json:"id"`
	RequestID int64       `json:"request_id"`
	NotBefore time.Time   `json:"not_before"`
	NotAfter  time.Time   `json:"not_after"`
	Invited   []inviteDTO `json:"invited"`
}

type inviteDTO struct {
	UserID int64  `json:"user_id"`
	Role   string `json:"role"`
}

func (s *Server) openRoom(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var body struct {
		NotBefore time.Time `json:"not_before"`
		NotAfter  time.Time `json:"not_after"`
	}
	if len(c.Body()) > 0 {
		if err := s.decodeJSON(c, &body); err != nil {
			return err
		}
	}
	r, err := s.rooms.OpenRoom(c.UserContext(), s.actor(c), id, body.NotBefore, body.NotAfter)
	if err != nil {
		return err
	}
	d := roomDTO{ID: r.ID, RequestID: r.RequestID, NotBefore: r.NotBefore.In(s.loc), NotAfter: r.NotAfter.In(s.loc), Invited: []inviteDTO{}}
	for _, i := range r.Invites {
		d.Invited = append(d.Invited, inviteDTO{UserID: i.UserID, Role: i.Role})
	}
	return c.Status(http.StatusCreated).JSON(d)
}

// joinToken hands an invited person a room token (≤ 2 minutes to start
// using) and the ICE servers with time-limited TURN credentials.
func (s *Server) joinToken(c *fiber.Ctx) error {
	roomID := utils.CopyString(c.Params("id"))
	a := s.actor(c)
	room, inv, err := s.rooms.JoinGrant(c.UserContext(), a, roomID)
	if err != nil {
		return err
	}
	host := s.rtc.Self
	if s.rtc.Placement != nil && s.rtc.Self != "" {
		if host, err = s.rtc.Placement.Place(c.UserContext(), roomID, s.rtc.Self, room.NotAfter.Add(time.Hour)); err != nil {
			return err
		}
	}
	participant := "u" + strconv.FormatInt(a.UserID, 10)
	tok, g, err := s.rtc.Tokens.Issue(realtime.RoomGrant{RoomID: roomID, ParticipantID: participant, Role: realtime.Role(inv.Role),
		Name: s.roomName(c.UserContext(), a, room, inv)})
	if err != nil {
		return err
	}
	out := fiber.Map{"room_id": roomID, "participant_id": participant, "role": inv.Role, "token": tok,
		"expires_at": g.ExpiresAt.In(s.loc), "ice_servers": s.rtc.ICE.ICEServers(participant, time.Now())}
	if host != "" {
		out["signal_url"] = host + "/api/v1/rooms/" + roomID + "/signal"
	}
	return c.JSON(out)
}

// roomName is how a participant is shown to the others in the room: staff
// (hosts, terminals) by their name, citizens by what they are to the case or
// visit — their own names stay out of the room, as out of reports.
func (s *Server) roomName(ctx context.Context, a domain.Actor, room *m.VideoRoom, inv m.RoomInvite) string {
	if s.names != nil && !a.Has(m.RoleCitizen) {
		if names, err := s.names.StaffNames(ctx, []int64{a.UserID}); err == nil && names[a.UserID] != "" {
			return names[a.UserID]
		}
	}
	switch {
	case inv.Role == m.RoomHost:
		return "主持人"
	case inv.Role == m.RoomDetaineeTerminal:
		return "在押人员终端"
	case inv.Role == m.RoomObserver:
		return "观察员"
	case room.OwnerType == m.RoomOfVisit:
		return "家属"
	default:
		return "申请人"
	}
}

// signal upgrades to the signalling WebSocket. The room token comes in the
// first ("join") message, never in the URL, so it stays out of access logs.
func (s *Server) signal() fiber.Handler {
	if s.rtc == nil { // a server built without video (unit tests of other areas)
		return func(*fiber.Ctx) error {
			return domain.Errorf(domain.KindUnavailable, "rtc.unavailable", "Video mediation is not available on this server.")
		}
	}
	origins := map[string]bool{}
	for _, o := range s.rtc.Origins {
		origins[o] = true
	}
	ws := websocket.New(func(conn *websocket.Conn) {
		conn.SetReadLimit(realtime.MaxMessageBytes)
		roomID, _ := conn.Locals("room").(string)
		_ = s.rtc.Hub.Serve(s.lifetime, roomID, wsConn{conn})
	}, websocket.Config{HandshakeTimeout: 10 * time.Second, ReadBufferSize: 16 << 10, WriteBufferSize: 16 << 10})
	return func(c *fiber.Ctx) error {
		if !websocket.IsWebSocketUpgrade(c) {
			return &httpError{Status: http.StatusUpgradeRequired, Code: "request.websocket_required"}
		}
		if o := c.Get(fiber.HeaderOrigin); o != "" && !origins[o] && !sameOrigin(o, c) {
			return domain.Errorf(domain.KindForbidden, "request.origin_forbidden", "This origin may not open the signalling socket.")
		}
		roomID := utils.CopyString(c.Params("id"))
		if s.rtc.Placement != nil && s.rtc.Self != "" { // the room's media are on another instance: send the client there
			owner, placed, err := s.rtc.Placement.Owner(c.UserContext(), roomID)
			if err != nil {
				return err
			}
			if placed && owner != s.rtc.Self {
				c.Set(fiber.HeaderLocation, owner+"/api/v1/rooms/"+roomID+"/signal")
				return domain.Errorf(domain.KindConflict, "rtc.room_elsewhere", "This room is hosted by another server; connect to the signal_url of the join token.")
			}
		}
		c.Locals("room", roomID)
		return ws(c)
	}
}

func sameOrigin(origin string, c *fiber.Ctx) bool {
	host := strings.TrimPrefix(strings.TrimPrefix(origin, "https://"), "http://")
	return host == string(c.Request().Host())
}

// wsConn adds a write deadline so that a stuck client cannot hold a writer.
type wsConn struct{ *websocket.Conn }

// Close ends the socket now. Behind fasthttp, closing a hijacked connection
// takes effect only when the handler returns, and the handler waits for its
// read loop: an expired read deadline is what unblocks the reader.
func (w wsConn) Close() error {
	_ = w.Conn.SetReadDeadline(time.Now())
	return w.Conn.Close()
}

func (w wsConn) WriteMessage(t int, b []byte) error {
	_ = w.Conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return w.Conn.WriteMessage(t, b)
}

func (s *Server) rtcCheck(c *fiber.Ctx) error {
	var body struct {
		SDP string `json:"sdp"`
	}
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	report, _, err := s.rtc.Hub.ProbeFor(c.UserContext(), "u"+strconv.FormatInt(s.actor(c).UserID, 10), body.SDP)
	if err != nil {
		return err
	}
	return c.JSON(report)
}

type recordingDTO struct {
	ID            string     `json:"id"`
	ParticipantID string     `json:"participant_id"`
	Role          string     `json:"role"`
	Kind          string     `json:"kind"`
	Codec         string     `json:"codec"`
	Container     string     `json:"container"`
	StartedAt     time.Time  `json:"started_at"`
	EndedAt       *time.Time `json:"ended_at"`
	Bytes         int64      `json:"bytes"`
	Frames        int64      `json:"frames"`
	SHA256        string     `json:"sha256"`
	EndReason     string     `json:"end_reason"`
}

func (s *Server) listRecordings(c *fiber.Ctx) error {
	roomID := utils.CopyString(c.Params("id"))
	if _, err := s.rooms.MayReviewRecordings(c.UserContext(), s.actor(c), roomID); err != nil {
		return err
	}
	recs, err := s.rtc.Recordings.RecordingsOf(c.UserContext(), roomID)
	if err != nil {
		return err
	}
	out := make([]recordingDTO, len(recs))
	for i, r := range recs {
		out[i] = recordingDTO{ID: r.ID, ParticipantID: r.ParticipantID, Role: string(r.Role), Kind: r.Kind, Codec: r.Codec, Container: r.Container,
			StartedAt: r.StartedAt.In(s.loc), Bytes: r.Bytes, Frames: r.Frames, SHA256: r.SHA256, EndReason: r.EndReason}
		if !r.EndedAt.IsZero() {
			t := r.EndedAt.In(s.loc)
			out[i].EndedAt = &t
		}
	}
	return c.JSON(out)
}

func (s *Server) getRecording(c *fiber.Ctx) error {
	roomID := utils.CopyString(c.Params("id"))
	if _, err := s.rooms.MayReviewRecordings(c.UserContext(), s.actor(c), roomID); err != nil {
		return err
	}
	rec, err := s.rtc.Recordings.Recording(c.UserContext(), utils.CopyString(c.Params("recording_id")))
	if err != nil || rec.RoomID != roomID || rec.EndedAt.IsZero() || rec.StorageKey == "" {
		// unknown, still recording, or deleted when its retention period ended
		return domain.Errorf(domain.KindNotFound, "recording.not_found", "No such finished recording.")
	}
	rc, err := s.rtc.Files.Open(c.UserContext(), rec.StorageKey)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, rec.ContentType())
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+rec.ID+`.`+rec.Container+`"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.SendStream(rc, int(rec.Bytes)) // streamed (recordings are large); fasthttp closes rc
}
