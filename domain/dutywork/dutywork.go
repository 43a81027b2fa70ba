package dutywork

import (
	"context"
	"io"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Kind is which duty a record is of.
type Kind string

const (
	Consultation Kind = "consultation"  // 法律咨询
	Education    Kind = "education"     // 法治宣传
	PoliceAssist Kind = "police_assist" // 协助涉警事务
	// Mediation is the fourth duty, kept as cases; it names the cases'
	// column where the four are counted together.
	Mediation Kind = "mediation"
)

// Kinds are the duties recorded here.
var Kinds = []Kind{Consultation, Education, PoliceAssist}

// Valid reports whether k is recorded here.
func (k Kind) Valid() bool { return k == Consultation || k == Education || k == PoliceAssist }

// Record is one piece of duty work by a stationed lawyer.
type Record struct {
	ID        int64
	Kind      Kind
	LawyerID  int64
	FirmID    int64 // the lawyer's firm when recorded (0: none, e.g. a mediator)
	StationID int64
	At        time.Time // when the work took place
	Minutes   int       // how long it took
	Topic     string    // consultation: the question; education: the subject; police matter: what it was
	Person    string    // consultation: who asked, as they gave their name
	Summary   string    // consultation: the answer given; police matter: what the lawyer did; education: notes
	Place     string    // education: where
	Audience  string    // education: who attended (residents of a community, a school, a company…)
	Attendees int       // education: how many attended
	OfficerID int64     // police matter: the officer the lawyer helped
	CreatedAt time.Time
	Photos    []Photo // education: the session's photos
}

// Photo is a picture of an education session.
type Photo struct {
	ID          int64
	RecordID    int64
	ContentType string // sniffed
	Size        int64
	SHA256      string
	StorageKey  string
	CreatedAt   time.Time
}

// Filter selects records; zero fields do not filter. Stations, Lawyers and
// FirmID narrow to the reader's scope (nil Stations: every station).
type Filter struct {
	Kind     Kind
	Stations []int64
	LawyerID int64
	FirmID   int64
	From, To time.Time // At in [From, To)
	Before   int64     // cursor: IDs below
	Limit    int
}

// Store keeps duty records and their photos.
type Store interface {
	CreateRecord(ctx context.Context, r *Record) error
	Record(ctx context.Context, id int64) (*Record, error) // with its photos
	Records(ctx context.Context, f Filter) ([]Record, error)
	CreatePhoto(ctx context.Context, p *Photo) error
	Photo(ctx context.Context, id int64) (*Photo, error)
	CountPhotos(ctx context.Context, recordID int64) (int, error)
}

// Files keeps photo bytes (the attachments' storage).
type Files interface {
	Put(ctx context.Context, key string, r io.Reader, limit int64) (size int64, sha256 string, err error)
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	Delete(ctx context.Context, key string) error
}

// People answers who the lawyers and officers are and what a reader sees.
type People interface {
	// Serves is the lawyer's firm and whether they serve the station.
	Serves(ctx context.Context, lawyerID, stationID int64) (firmID int64, ok bool, err error)
	// IsOfficerAt reports whether the user is a police officer of the station.
	IsOfficerAt(ctx context.Context, userID, stationID int64) (bool, error)
	// StationScope lists the stations a staff member sees (all: every one).
	StationScope(ctx context.Context, a domain.Actor) (stations []int64, all bool, err error)
	// FirmScope is the firm a firm's head heads (forbidden for others).
	FirmScope(ctx context.Context, a domain.Actor) (firmID int64, all bool, err error)
}

// Service records and lists duty work.
type Service struct {
	Store    Store
	Files    Files
	People   People
	Tx       domain.TxRunner
	Idem     domain.IdempotencyStore
	Audit    domain.Auditor
	Clock    domain.Clock
	MaxPhoto int64 // bytes of one photo
}

// MaxPhotos is how many photos one education session keeps.
const MaxPhotos = 9
