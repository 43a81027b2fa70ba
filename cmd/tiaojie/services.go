package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/tiaojie/tiaojie/api"
	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/domain/assessment"
	"github.com/tiaojie/tiaojie/domain/casereview"
	"github.com/tiaojie/tiaojie/domain/detention"
	"github.com/tiaojie/tiaojie/domain/duty"
	"github.com/tiaojie/tiaojie/domain/dutywork"
	"github.com/tiaojie/tiaojie/domain/inbox"
	"github.com/tiaojie/tiaojie/domain/jointmeeting"
	"github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/domain/specialpop"
	"github.com/tiaojie/tiaojie/domain/stats"
	"github.com/tiaojie/tiaojie/domain/warning"
	"github.com/tiaojie/tiaojie/infra/crypto"
	"github.com/tiaojie/tiaojie/infra/miniapp"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/redis"
	"github.com/tiaojie/tiaojie/infra/smsgate"
	"github.com/tiaojie/tiaojie/infra/storage"
	"github.com/tiaojie/tiaojie/infra/textnorm"
)

// services are the domain services, wired to their stores.
type services struct {
	accounts  *account.Service
	directory *account.Directory
	mediation *mediation.Service
	filings   *mysql.GroupCommit[*mediation.NewFiling]
	warnings  *warning.Service
	audit     *mysql.AuditStore
	files     *storage.Local
	video     *videoRooms
	dispatch  *dispatch
	inbox     *inbox.Service
	stats     *stats.Service
	duty      *duty.Service
	assess    *assessment.Service
	dutyWork  *dutywork.Service
	reviews   *casereview.Service
	custody   *detention.Custody
	visits    *detention.Visits
	register  *specialpop.Service
	meetings  *jointmeeting.Service
	signKey   crypto.Key
	names     *mysql.NameStore
	fusion    *fusionWork // issue 19 parts 3–5: incidents and the calculator, pairing, experts

	mediationStore *mysql.MediationStore
	accountStore   *mysql.AccountStore
}

// systemClock is the real time, in UTC, at the database's precision
// (DATETIME(6), µs), so that an answer made from a value just saved equals
// every later read of it.
var systemClock = domain.ClockFunc(func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) })

func (a *application) buildServices(ctx context.Context) (*services, error) {
	cfg, log := a.cfg, a.log
	keys, secret, err := loadKeys(cfg)
	if err != nil {
		return nil, err
	}
	accountStore, sessions, audit := mysql.NewAccountStore(a.db), mysql.NewSessionStore(a.db), mysql.NewAuditStore(a.db)
	authStore := redis.NewAuthStore(a.redis, cfg.RedisPrefix)
	var sms account.SMS = smsgate.Log{Logger: log.With("component", "sms")}
	if cfg.SMSWebhookURL != "" {
		sms = &smsgate.Webhook{URL: cfg.SMSWebhookURL, Template: "login_code"}
	}
	acfg := account.DefaultConfig()
	acfg.Secret = secret
	acc := &account.Service{Cfg: acfg, Tx: a.db, Users: accountStore, Orgs: accountStore, Sessions: sessions, OTP: authStore,
		Limiter: authStore, Revocations: authStore, Grace: authStore, Tokens: crypto.NewTokens(keys), Passwords: crypto.Passwords{Cost: cfg.PasswordCost},
		SMS: sms, MiniApp: &miniapp.Client{BaseURL: cfg.MiniApp.BaseURL, AppID: cfg.MiniApp.AppID, Secret: cfg.MiniApp.Secret},
		Audit: audit, Clock: systemClock, FoldUsername: textnorm.Username}

	medStore := mysql.NewMediationStore(a.db)
	dir := &account.Directory{Service: acc, Load: medStore, Profiles: accountStore, Ratings: medStore, Roster: account.DailyRoster{Loc: cfg.HTTP.Location, From: cfg.DutyFrom, To: cfg.DutyTo}}
	files, err := storage.NewLocal(filepath.Join(cfg.DataDir, "files"))
	if err != nil {
		return nil, err
	}
	signals := mysql.NewSignalStore(a.db)
	box := &inbox.Service{Store: mysql.NewInboxStore(a.db), Clock: systemClock}
	if a.cfg.Dispatch.WebhookURL != "" {
		box.Push = webhookPusher{mysql.NewPushDeliveryStore(a.db)}
	}
	med := &mediation.Service{Tx: a.db, Requests: medStore, Records: medStore, Idempotency: mysql.NewIdempotencyStore(a.db),
		Directory: dir, Signals: signals, Audit: audit, Clock: systemClock,
		Attachments: medStore, Files: files, MaxAttachmentBytes: int64(cfg.MaxAttachmentBytes), Rooms: medStore, Notices: box, Firms: acc,
		Confirmations: medStore, Courts: acc,
		Tags: mysql.NewTagStore(a.db), Involvements: mysql.NewInvolvementStore(a.db)}
	filings := mysql.NewGroupCommit(a.db, filingFlushers, maxFilingBatch, med.WriteFilings)
	med.Filings = filings

	warnStore := mysql.NewWarningStore(a.db)
	warn := &warning.Service{Tx: a.db, Rules: warnStore, Warnings: warnStore, Counter: redis.NewWarningCounter(a.redis, cfg.RedisPrefix),
		Signals: signals, Audit: audit, Clock: systemClock, DVFlags: mysql.NewDVFlagStore(a.db)}
	med.DVHistory = dvHistories{warn} // filings carry the staff's domestic-violence flags into their warning signals

	disp := a.buildDispatch(dir, audit, a.streamRedis, orderNotices{box})
	med.Orders, warn.Sheets = mediationOrders{disp.orders}, warningSheets{disp.orders}

	now := systemClock.Now()
	if err := medStore.SeedCategories(ctx, mediation.DefaultCategories, now); err != nil {
		return nil, err
	}
	if err := warnStore.SeedRules(ctx, warning.DefaultRules, now); err != nil {
		return nil, err
	}
	statsSvc := &stats.Service{Store: mysql.NewStatsStore(a.db), Scope: acc, Loc: cfg.HTTP.Location, Audit: audit, Clock: systemClock}
	dutySvc, assessSvc := a.buildPerformance(acc, audit)
	dir.Roster = dutySvc // routing and dispatch follow the stations' rosters and the lawyers' check-ins
	dutyWork := a.buildDutyWork(acc, audit, files, statsSvc, dutySvc, assessSvc)
	custody, visits := a.buildDetention(acc, med, medStore, disp.orders, box, audit, secret)
	med.Detainees = detaineeFilings{custody.Detainees}
	med.Visits = visits
	wireYuyao(med, acc, medStore)
	register, meetings := a.buildFusion(acc, disp.orders, warn, box, audit, secret)
	fusion, err := a.buildFusionWork(ctx, acc, accountStore, med, medStore, disp.orders, warn, audit)
	if err != nil {
		return nil, err
	}
	return &services{register: register, meetings: meetings, fusion: fusion, dispatch: disp, inbox: box, stats: statsSvc, duty: dutySvc, assess: assessSvc, dutyWork: dutyWork, reviews: a.buildCaseReview(acc, medStore, audit), custody: custody, visits: visits, accounts: acc, directory: dir, mediation: med, filings: filings, warnings: warn, audit: audit, mediationStore: medStore, accountStore: accountStore,
		names: mysql.NewNameStore(a.db), files: files, signKey: keys[0], video: &videoRooms{med: med, recordings: mysql.NewRecordingStore(a.db), log: log}}, nil
}

// loadKeys reads the signing keys and the HMAC secret, generating and
// keeping both in the data directory in embedded mode.
func loadKeys(cfg Config) ([]crypto.Key, []byte, error) {
	var (
		keys   []crypto.Key
		secret []byte
		err    error
	)
	switch {
	case cfg.JWTKeys != "":
		keys, err = crypto.ParseKeys(cfg.JWTKeys)
	case cfg.JWTKeyFile != "":
		keys, err = crypto.LoadOrCreateKeyFile(cfg.JWTKeyFile)
	case cfg.EmbeddedDatabase():
		keys, err = crypto.LoadOrCreateKeyFile(filepath.Join(cfg.DataDir, "jwt-keys"))
	default:
		err = fmt.Errorf("set TIAOJIE_JWT_KEYS or TIAOJIE_JWT_KEY_FILE: a configured deployment must share its keys across instances")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("jwt keys: %w", err)
	}
	switch {
	case cfg.Secret != "":
		secret, err = crypto.ParseSecret(cfg.Secret)
	case cfg.EmbeddedDatabase():
		secret, err = crypto.LoadOrCreateSecret(filepath.Join(cfg.DataDir, "secret"))
	default:
		err = fmt.Errorf("set TIAOJIE_SECRET (base64 of 32 random bytes)")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("secret: %w", err)
	}
	return keys, secret, nil
}

func (s *services) apiDeps(d api.Deps) api.Deps {
	d.WorkOrders, d.StaffHub, d.Inbox = s.dispatch.orders, s.dispatch.hub, s.inbox
	d.Stats, d.Duty, d.Assessments = s.stats, s.duty, s.assess
	d.DutyWork, d.CaseReviews = s.dutyWork, s.reviews
	d.Detention, d.Visits = s.custody, s.visits
	d.Register, d.Meetings = s.register, s.meetings
	d.Names = s.names
	d.Incidents, d.Pairing, d.Experts = s.fusion.incidents, s.fusion.pairing, s.fusion.experts
	d.Accounts, d.Directory, d.Mediation, d.Warnings, d.Scope, d.Rooms = s.accounts, s.directory, s.mediation, s.warnings, s.accounts, s.mediation
	d.Audit = func(ctx context.Context, q api.AuditQuery) ([]api.AuditLine, error) {
		entries, err := s.audit.Entries(ctx, mysql.AuditFilter{ActorID: q.ActorID, ResourceType: q.ResourceType, ResourceID: q.ResourceID,
			From: q.From, To: q.To, Before: q.Before, Limit: q.Limit})
		out := make([]api.AuditLine, len(entries))
		for i, e := range entries {
			out[i] = api.AuditLine{ID: e.ID, AuditEntry: e.AuditEntry}
		}
		return out, err
	}
	return d
}

// runWarnings counts new signals every interval until ctx ends.
func runWarnings(ctx context.Context, w *warning.Service, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, raised, err := w.ProcessPending(ctx)
		if err != nil && ctx.Err() == nil {
			log.Warn("warning evaluation failed; will retry", "err", err)
		}
		for _, x := range raised {
			log.Info("warning raised", "warning_id", x.ID, "rule", x.RuleName, "severity", x.Severity, "station_id", x.StationID)
		}
		if n == warning.BatchSize {
			continue // more are waiting
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// runRetention anonymises expired personal data at start and then daily.
func runRetention(ctx context.Context, a *application, log *slog.Logger) {
	t := time.NewTicker(24 * time.Hour)
	defer t.Stop()
	for {
		reqs, err := mediation.AnonymiseExpired(ctx, a.svc.mediationStore, a.svc.audit, systemClock, a.cfg.Retention)
		if err == nil {
			var users int
			users, err = account.AnonymiseInactive(ctx, a.svc.accountStore, a.svc.audit, systemClock, a.cfg.Retention)
			if reqs+users > 0 {
				log.Info("retention: personal data anonymised", "requests", reqs, "citizens", users)
			}
		}
		if err == nil {
			var files int
			files, err = expireRecordings(ctx, a)
			if files > 0 {
				log.Info("retention: recordings deleted", "files", files)
			}
		}
		if err != nil && ctx.Err() == nil {
			log.Warn("retention job failed; will retry tomorrow", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// expireRecordings deletes the files of recordings older than the recording
// retention period; their metadata stays (the case timeline refers to them).
func expireRecordings(ctx context.Context, a *application) (int, error) {
	n := 0
	for {
		rows, err := a.svc.video.recordings.ExpiredRecordings(ctx, systemClock.Now().Add(-a.cfg.RecordingRetention), 100)
		if err != nil || len(rows) == 0 {
			return n, err
		}
		for _, r := range rows {
			if err := a.svc.files.Delete(ctx, r.StorageKey); err != nil {
				return n, err
			}
			if err := a.svc.video.recordings.MarkDeleted(ctx, r.ID); err != nil {
				return n, err
			}
			n++
		}
	}
}

// Filings are group-committed (see mysql.GroupCommit): under load a batch
// of filings costs MariaDB about ten statements and one commit in all,
// where each filing alone would cost as many. One batch in flight: a second
// flusher made batches half as big and filings slower (docs/PERFORMANCE.md),
// and SQLite has one writer anyway. The cap keeps one statement's size sane.
const (
	filingFlushers = 1
	maxFilingBatch = 64
)
