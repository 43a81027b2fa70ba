package api

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/cors"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tiaojie/tiaojie/domain/inbox"
	"github.com/tiaojie/tiaojie/domain/warning"
	"github.com/tiaojie/tiaojie/push"
)

// Config holds the HTTP settings, parsed once in cmd/tiaojie.
type Config struct {
	// BodyLimit caps every request body (uploads included); JSONLimit caps
	// JSON bodies, which never need to be large.
	BodyLimit    int
	JSONLimit    int
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	IdleTimeout  time.Duration
	// CORSOrigins lists the web and mini-program origins allowed to call the
	// API from a browser; empty means no cross-origin access.
	CORSOrigins []string
	// ProxyHeader (e.g. X-Forwarded-For) is trusted for the client IP only
	// when the peer is one of TrustedProxies.
	ProxyHeader    string
	TrustedProxies []string
	// Location is the zone times are rendered in (Asia/Shanghai by default).
	Location *time.Location
}

// DefaultConfig is what a server without configuration uses.
func DefaultConfig() Config {
	return Config{
		BodyLimit:    8 << 20,
		JSONLimit:    256 << 10,
		ReadTimeout:  15 * time.Second,
		WriteTimeout: 30 * time.Second,
		IdleTimeout:  90 * time.Second,
	}
}

// Check is one dependency that readiness depends on.
type Check struct {
	Name string
	Ping func(ctx context.Context) error
}

// Deps is everything the HTTP door needs. cmd/tiaojie builds it.
type Deps struct {
	Config   Config
	Log      *slog.Logger
	Registry *prometheus.Registry
	Ready    []Check
	OpenAPI  []byte

	Accounts  AccountService
	Directory DirectoryService
	Audit     AuditReader
	Mediation MediationService
	Warnings  WarningService
	Rooms     RoomService
	RTC       *RTC
	// WorkOrders and StaffHub are dispatch: the backlog and actions, and
	// the live stream to staff apps.
	WorkOrders WorkOrderService
	StaffHub   *push.Hub
	// Detention is detention-centre mediation (拘调融合): profiles, labels,
	// release, follow-up and joint mediation.
	Detention DetentionService
	// Visits is family visit booking (会见预约) at detention centres.
	Visits VisitService
	// Stats is the managers' figures and reports.
	Stats StatsService
	// Register and Meetings are police–justice fusion (警法融合): the
	// special population register and the joint analysis meetings.
	Register RegisterService
	Meetings MeetingService
	// Duty and Assessments are lawyers' duty, firms' assessment and money.
	Duty        DutyService
	Assessments AssessmentService
	// DutyWork is the lawyers' consultations, education sessions and help
	// with police matters.
	DutyWork DutyWorkService
	// CaseReviews is the supervisors' example cases and their library.
	CaseReviews CaseReviewService
	// Inbox is the caller's notifications.
	Inbox *inbox.Service
	// Lifetime ends when the server stops: long-lived sockets (signalling)
	// take their context from it, not from the request.
	Lifetime context.Context
	// Scope tells which stations a staff member sees.
	Scope warning.Scope
	// Names names stations, firms, staff and categories in CSV reports.
	Names NameBook
	// Incidents, Pairing and Experts are the police–justice fusion work
	// (issue 19 parts 3–5).
	Incidents IncidentService
	Pairing   PairingService
	Experts   ExpertService
}

// Server is the Fiber app with its readiness state.
type Server struct {
	app      *fiber.App
	log      *slog.Logger
	cfg      Config
	metrics  *httpMetrics
	ready    []Check
	stopping atomic.Bool
	loc      *time.Location
	proxy    proxyTrust

	auth        Authenticator
	accounts    AccountService
	directory   DirectoryService
	audit       AuditReader
	mediation   MediationService
	warnings    WarningService
	rooms       RoomService
	rtc         *RTC
	workOrders  WorkOrderService
	staffHub    *push.Hub
	inbox       *inbox.Service
	stats       StatsService
	custody     DetentionService
	visits      VisitService
	register    RegisterService
	meetings    MeetingService
	duty        DutyService
	assessments AssessmentService
	dutyWork    DutyWorkService
	caseReviews CaseReviewService
	names       NameBook
	lifetime    context.Context
	scope       warning.Scope
	table       []route
	incidents   IncidentService
	pairing     PairingService
	experts     ExpertService
}

// New builds the app with every middleware and route.
func New(d Deps) (*Server, error) {
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
	}
	s := &Server{log: d.Log, cfg: d.Config, ready: d.Ready, metrics: newHTTPMetrics(d.Registry), loc: d.Config.Location,
		auth: d.Accounts, accounts: d.Accounts, directory: d.Directory, audit: d.Audit, mediation: d.Mediation, warnings: d.Warnings, scope: d.Scope,
		rooms: d.Rooms, rtc: d.RTC, lifetime: d.Lifetime, workOrders: d.WorkOrders, staffHub: d.StaffHub, inbox: d.Inbox, stats: d.Stats, duty: d.Duty, assessments: d.Assessments, dutyWork: d.DutyWork, caseReviews: d.CaseReviews, custody: d.Detention, visits: d.Visits, names: d.Names,
		register: d.Register, meetings: d.Meetings}
	s.incidents, s.pairing, s.experts = d.Incidents, d.Pairing, d.Experts
	if s.lifetime == nil {
		s.lifetime = context.Background()
	}
	if s.loc == nil {
		s.loc = time.UTC
	}
	proxy, err := newProxyTrust(d.Config.ProxyHeader, d.Config.TrustedProxies)
	if err != nil {
		return nil, err
	}
	s.proxy = proxy
	s.app = fiber.New(fiber.Config{
		AppName:               "tiaojie",
		ErrorHandler:          s.handleError,
		BodyLimit:             d.Config.BodyLimit,
		ReadTimeout:           d.Config.ReadTimeout,
		WriteTimeout:          d.Config.WriteTimeout,
		IdleTimeout:           d.Config.IdleTimeout,
		DisableStartupMessage: true,
		CaseSensitive:         true,
		// No ProxyHeader for Fiber: c.IP() is the peer, and clientIP reads
		// the header itself (see proxyTrust).
	})
	s.app.Use(s.assignRequestID, s.observe, s.recoverPanic, securityHeaders, refuseEncodedBodies)
	if len(d.Config.CORSOrigins) > 0 {
		s.app.Use(cors.New(cors.Config{
			AllowOrigins:  strings.Join(d.Config.CORSOrigins, ","),
			AllowMethods:  "GET,POST,PUT,PATCH,DELETE",
			AllowHeaders:  "Authorization,Content-Type,Accept-Language,Idempotency-Key,X-Request-ID",
			ExposeHeaders: "X-Request-ID,Retry-After",
			MaxAge:        600,
		}))
	}
	docs, err := newDocsPage(d.OpenAPI)
	if err != nil {
		return nil, err
	}
	s.routes(d, docs)
	return s, nil
}

// App exposes the Fiber app, for app.Test in tests and for listening.
func (s *Server) App() *fiber.App { return s.app }

// Serve accepts connections on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error { return s.app.Listener(ln) }

// Shutdown fails readiness first, so a load balancer stops sending traffic,
// then stops accepting and waits for in-flight requests until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.stopping.Store(true)
	return s.app.ShutdownWithContext(ctx)
}
