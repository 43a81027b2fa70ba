package api

import (
	"time"

	"github.com/tiaojie/tiaojie/domain"
	m "github.com/tiaojie/tiaojie/domain/mediation"
)

type partyDTO struct {
	Name     string `json:"name"`
	Phone    string `json:"phone,omitempty"`
	Relation string `json:"relation,omitempty"`
}

type fileRequestDTO struct {
	Kind        string     `json:"kind"`
	Category    string     `json:"category"`
	Description string     `json:"description"`
	Place       string     `json:"place"`
	StationID   int64      `json:"station_id"`
	LawyerID    int64      `json:"lawyer_id"`
	DetaineeID  int64      `json:"detainee_id"`
	Parties     []partyDTO `json:"parties"`
}

func (d fileRequestDTO) toFiling() m.Filing {
	f := m.Filing{Kind: m.Kind(d.Kind), Category: d.Category, Description: d.Description, Place: d.Place,
		StationID: d.StationID, ChosenID: d.LawyerID, DetaineeID: d.DetaineeID}
	for _, p := range d.Parties {
		f.Parties = append(f.Parties, m.Party{Name: p.Name, Phone: p.Phone, Relation: p.Relation})
	}
	return f
}

type ratingDTO struct {
	Stars   int       `json:"stars"`
	Comment string    `json:"comment"`
	RatedAt time.Time `json:"rated_at"`
}

type returnVisitDTO struct {
	Stars      int       `json:"stars"`
	Comment    string    `json:"comment"`
	Channel    string    `json:"channel"`
	ByID       int64     `json:"by_id"`
	AnsweredAt time.Time `json:"answered_at"`
}

type requestDTO struct {
	ID             int64           `json:"id"`
	Kind           string          `json:"kind"`
	Category       string          `json:"category"`
	Description    string          `json:"description"`
	Place          string          `json:"place"`
	StationID      int64           `json:"station_id"`
	LawyerID       *int64          `json:"lawyer_id"`
	DetaineeID     *int64          `json:"detainee_id"`
	Parties        []partyDTO      `json:"parties"`
	Status         string          `json:"status"`
	Classification *string         `json:"classification"`
	LeadID         *int64          `json:"lead_id"`
	AssistantID    *int64          `json:"assistant_id"`
	RejectReason   *string         `json:"reject_reason"`
	Rating         *ratingDTO      `json:"rating"`
	ReturnVisit    *returnVisitDTO `json:"return_visit"`
	Version        int             `json:"version"`
	CreatedAt      time.Time       `json:"created_at"`
	UpdatedAt      time.Time       `json:"updated_at"`
	ClosedAt       *time.Time      `json:"closed_at"`
	Tags           []string        `json:"tags"` // staff-internal: always empty for citizens
	// Filer is who filed, in staff answers only (m.AudienceOf).
	Filer *filerDTO `json:"filer,omitempty"`
}

type filerDTO struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// maskUnless masks a phone number unless full is true.
func maskUnless(full bool, phone string) string {
	if full || phone == "" {
		return phone
	}
	return domain.MaskPhone(phone)
}

func optID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// toRequestDTO renders a request as the caller's audience sees it: staff get
// the filer; phones are in full only for those who must call them
// (m.SeesFullPhones).
func toRequestDTO(r *m.Request, a domain.Actor, loc *time.Location) requestDTO {
	fullPhones := m.SeesFullPhones(r, a)
	d := requestDTO{
		ID: r.ID, Kind: string(r.Filing.Kind), Category: r.Filing.Category, Description: r.Filing.Description, Place: r.Filing.Place,
		StationID: r.Filing.StationID, LawyerID: optID(r.Filing.ChosenID), DetaineeID: optID(r.Filing.DetaineeID),
		Parties: []partyDTO{}, Status: string(r.Status), Classification: optString(string(r.Classification)),
		LeadID: optID(r.LeadID), AssistantID: optID(r.AssistantID), RejectReason: optString(r.RejectReason),
		Version: r.Version, CreatedAt: r.CreatedAt.In(loc), UpdatedAt: r.UpdatedAt.In(loc), Tags: []string{},
	}
	if !a.Has(m.RoleCitizen) && r.Tags != nil {
		d.Tags = r.Tags
	}
	if r.ClosedAt != nil {
		t := r.ClosedAt.In(loc)
		d.ClosedAt = &t
	}
	if r.Rating != nil {
		d.Rating = &ratingDTO{Stars: r.Rating.Stars, Comment: r.Rating.Comment, RatedAt: r.Rating.At.In(loc)}
	}
	if v := r.ReturnVisit; v != nil {
		d.ReturnVisit = &returnVisitDTO{Stars: v.Stars, Comment: v.Comment, Channel: string(v.Channel), ByID: v.ByID, AnsweredAt: v.At.In(loc)}
	}
	for _, p := range r.Filing.Parties {
		d.Parties = append(d.Parties, partyDTO{Name: p.Name, Phone: maskUnless(fullPhones, p.Phone), Relation: p.Relation})
	}
	if m.AudienceOf(a) == m.AudienceStaff {
		d.Filer = &filerDTO{ID: r.FilerID, Name: r.Filer.Name, Phone: maskUnless(fullPhones, r.Filer.Phone)}
	}
	return d
}

type eventDTO struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	Type       string    `json:"type"`
	ActorID    *int64    `json:"actor_id"`
	ActorRole  string    `json:"actor_role"`
	FromStatus string    `json:"from_status"`
	ToStatus   string    `json:"to_status"`
	Note       string    `json:"note"`
}

type sessionDTO struct {
	HeldAt    time.Time `json:"held_at"`
	Place     string    `json:"place"`
	RoomID    string    `json:"room_id"`
	Attendees []string  `json:"attendees"`
	Summary   string    `json:"summary"`
}

type agreementDTO struct {
	Terms                string `json:"terms"`
	AmountFen            int64  `json:"amount_fen"`
	JudicialConfirmation string `json:"judicial_confirmation"`
}

type reviewDTO struct {
	ReviewerID int64     `json:"reviewer_id"`
	Stage      string    `json:"stage"`
	Approved   bool      `json:"approved"`
	Comment    string    `json:"comment"`
	At         time.Time `json:"at"`
}

type recordDTO struct {
	ID        int64         `json:"id"`
	AuthorID  int64         `json:"author_id"`
	Sessions  []sessionDTO  `json:"sessions"`
	Outcome   string        `json:"outcome"`
	RiskScore int           `json:"risk_score"`
	RiskNotes string        `json:"risk_notes"`
	Agreement *agreementDTO `json:"agreement"`
	Review    string        `json:"review"`
	Reviews   []reviewDTO   `json:"reviews"`
	Version   int           `json:"version"`
	UpdatedAt time.Time     `json:"updated_at"`
}

func toRecordDTO(r *m.Record, loc *time.Location) *recordDTO {
	if r == nil {
		return nil
	}
	d := &recordDTO{ID: r.ID, AuthorID: r.AuthorID, Sessions: []sessionDTO{}, Outcome: string(r.Outcome), RiskScore: r.RiskScore,
		RiskNotes: r.RiskNotes, Review: string(r.Review), Reviews: []reviewDTO{}, Version: r.Version, UpdatedAt: r.UpdatedAt.In(loc)}
	for _, s := range r.Sessions {
		att := s.Attendees
		if att == nil {
			att = []string{}
		}
		d.Sessions = append(d.Sessions, sessionDTO{HeldAt: s.HeldAt.In(loc), Place: s.Place, RoomID: s.RoomID, Attendees: att, Summary: s.Summary})
	}
	if a := r.Agreement; a != nil {
		d.Agreement = &agreementDTO{Terms: a.Terms, AmountFen: a.AmountFen, JudicialConfirmation: string(a.JudicialConfirmation)}
	}
	for _, c := range r.Comments {
		d.Reviews = append(d.Reviews, reviewDTO{ReviewerID: c.ReviewerID, Stage: string(c.Stage), Approved: c.Approved, Comment: c.Text, At: c.At.In(loc)})
	}
	return d
}

type recordInputDTO struct {
	Sessions  []sessionDTO  `json:"sessions"`
	Outcome   string        `json:"outcome"`
	RiskScore int           `json:"risk_score"`
	RiskNotes string        `json:"risk_notes"`
	Agreement *agreementDTO `json:"agreement"`
}

func (d recordInputDTO) toInput() m.RecordInput {
	in := m.RecordInput{Outcome: m.Outcome(d.Outcome), RiskScore: d.RiskScore, RiskNotes: d.RiskNotes}
	for _, s := range d.Sessions {
		in.Sessions = append(in.Sessions, m.Session{HeldAt: s.HeldAt, Place: s.Place, RoomID: s.RoomID, Attendees: s.Attendees, Summary: s.Summary})
	}
	if a := d.Agreement; a != nil {
		in.Agreement = &m.Agreement{Terms: a.Terms, AmountFen: a.AmountFen, JudicialConfirmation: m.JudicialResult(a.JudicialConfirmation)}
	}
	return in
}

type attachmentDTO struct {
	ID          int64     `json:"id"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	FileName    string    `json:"file_name"`
	SHA256      string    `json:"sha256"`
	CreatedAt   time.Time `json:"created_at"`
}

func toAttachmentDTO(a *m.Attachment, loc *time.Location) attachmentDTO {
	return attachmentDTO{ID: a.ID, ContentType: a.ContentType, Size: a.Size, FileName: a.FileName, SHA256: a.SHA256, CreatedAt: a.CreatedAt.In(loc)}
}

// filerRecordDTO is the record as the filer sees it: what was held and
// agreed, without the case file (risk assessment, review, reviewers' comments).
type filerRecordDTO struct {
	Sessions  []sessionDTO  `json:"sessions"`
	Outcome   string        `json:"outcome"`
	Agreement *agreementDTO `json:"agreement"`
	UpdatedAt time.Time     `json:"updated_at"`
}

func toFilerRecordDTO(r *recordDTO) *filerRecordDTO {
	return &filerRecordDTO{Sessions: r.Sessions, Outcome: r.Outcome, Agreement: r.Agreement, UpdatedAt: r.UpdatedAt}
}

type requestDetailDTO struct {
	requestDTO
	// Timeline is the newest mediation.TimelineSize entries, oldest first;
	// TimelineNextCursor pages the earlier ones (GET …/events).
	Timeline           []eventDTO `json:"timeline"`
	TimelineMore       bool       `json:"timeline_more"`
	TimelineNextCursor *string    `json:"timeline_next_cursor"`
	// Record is a *recordDTO for staff, a *filerRecordDTO for the filer, or nil.
	Record      any             `json:"record"`
	Attachments []attachmentDTO `json:"attachments"`
	// JudicialConfirmation is the agreement's way through 司法确认, once
	// it was handed to a court.
	JudicialConfirmation *confirmationDTO `json:"judicial_confirmation"`
}

func toRequestDetailDTO(v *m.View, a domain.Actor, loc *time.Location) requestDetailDTO {
	d := requestDetailDTO{requestDTO: toRequestDTO(&v.Request, a, loc), Timeline: []eventDTO{}, Attachments: []attachmentDTO{},
		JudicialConfirmation: toConfirmationDTO(v.Confirmation, loc)}
	filer := m.AudienceOf(a) == m.AudienceFiler
	if rec := toRecordDTO(v.Record, loc); rec == nil {
		d.Record = nil
	} else if filer {
		d.Record = toFilerRecordDTO(rec)
	} else {
		d.Record = rec
	}
	for _, e := range v.Events {
		d.Timeline = append(d.Timeline, toEventDTO(e, filer, loc))
	}
	if v.EarlierEvents && len(v.Events) > 0 {
		d.TimelineMore = true
		next := encodeCursor(v.Events[0].ID)
		d.TimelineNextCursor = &next
	}
	for i := range v.Attachments {
		d.Attachments = append(d.Attachments, toAttachmentDTO(&v.Attachments[i], loc))
	}
	return d
}

// toEventDTO is one timeline entry; the filer does not see the notes of
// staff-only entries (reviewers' comments).
func toEventDTO(e m.Event, filer bool, loc *time.Location) eventDTO {
	note := e.Note
	if filer && m.StaffOnlyNote(e) {
		note = ""
	}
	return eventDTO{ID: e.ID, At: e.At.In(loc), Type: e.Type, ActorID: optID(e.ActorID), ActorRole: e.ActorRole,
		FromStatus: string(e.FromStatus), ToStatus: string(e.ToStatus), Note: note}
}

type screenDTO struct {
	Classification string `json:"classification"`
	Reject         bool   `json:"reject"`
	Reason         string `json:"reason"`
}

type transitionDTO struct {
	Action       string           `json:"action"`
	Note         string           `json:"note"`
	Satisfaction *returnAnswerDTO `json:"satisfaction"`
}

// returnAnswerDTO is the citizen's satisfaction heard at the return visit,
// sent with the follow_up action by the staff member who called.
type returnAnswerDTO struct {
	Stars   int    `json:"stars"`
	Comment string `json:"comment"`
	Channel string `json:"channel"`
}

func (d transitionDTO) answer() *m.Answer {
	if d.Satisfaction == nil {
		return nil
	}
	return &m.Answer{Stars: d.Satisfaction.Stars, Comment: d.Satisfaction.Comment, Channel: m.Channel(d.Satisfaction.Channel)}
}

type approvalDTO struct {
	Decision string `json:"decision"` // approve | return
	Comment  string `json:"comment"`
}

type rateDTO struct {
	Stars   int    `json:"stars"`
	Comment string `json:"comment"`
}

type categoryDTO struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}
