package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	goredis "github.com/redis/go-redis/v9"

	tiaojie "github.com/tiaojie/tiaojie"
	"github.com/tiaojie/tiaojie/api"
	"github.com/tiaojie/tiaojie/infra/logging"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/redis"
	"github.com/tiaojie/tiaojie/migrations"
	"github.com/tiaojie/tiaojie/push"
	"github.com/tiaojie/tiaojie/realtime"
)

// application is the wired server. Fields are closed in the reverse order of
// construction.
type application struct {
	cfg         Config
	log         *slog.Logger
	db          *mysql.DB
	redis       *goredis.Client
	streamRedis *goredis.Client // the staff stream's blocking reads, one connection per connected app
	embedded    *redis.Embedded
	http        *api.Server
	svc         *services
	hub         *realtime.Hub
	closeOnce   bool
	// lifetime ends when shutdown begins; long-lived sockets hang on it.
	lifetime     context.Context
	stopLifetime context.CancelFunc
}

func serve(ctx context.Context, cfg Config, logOut io.Writer) error {
	log := logging.New(logOut, cfg.LogLevel, cfg.LogFormat)
	a, err := newApplication(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	return a.run(ctx, ln)
}

func migrate(ctx context.Context, cfg Config, logOut io.Writer) error {
	log := logging.New(logOut, cfg.LogLevel, cfg.LogFormat)
	db, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	return db.Close()
}

// newApplication opens the database (migrating it) and Redis — embedded ones
// when none is configured — and builds the HTTP server.
func newApplication(ctx context.Context, cfg Config, log *slog.Logger) (_ *application, err error) {
	a := &application{cfg: cfg, log: log}
	a.lifetime, a.stopLifetime = context.WithCancel(context.Background())
	defer func() {
		if err != nil {
			_ = a.close()
		}
	}()
	log.Info("starting tiaojie", "config", cfg)
	if a.db, err = openDatabase(ctx, cfg, log); err != nil {
		return nil, err
	}
	redisURL, embeddedAddr := cfg.RedisURL, ""
	if cfg.EmbeddedRedis() {
		if a.embedded, err = redis.StartEmbedded(); err != nil {
			return nil, err
		}
		redisURL, embeddedAddr = a.embedded.URL(), a.embedded.Addr() // the URL holds its password: log the address
	}
	if a.redis, err = redis.Open(ctx, redisURL); err != nil {
		return nil, err
	}
	if a.streamRedis, err = redis.OpenPool(ctx, redisURL, cfg.Dispatch.StreamConns); err != nil {
		return nil, err
	}
	if !cfg.EmbeddedRedis() { // the in-process server neither evicts nor answers CONFIG
		checkQueueRedis(ctx, a.redis, log)
	}
	if cfg.EmbeddedDatabase() || cfg.EmbeddedRedis() {
		log.Warn("EMBEDDED MODE: not for production; set TIAOJIE_MYSQL_DSN and TIAOJIE_REDIS_URL to run on MySQL and Redis",
			"database", map[bool]string{true: "SQLite file " + cfg.SQLitePath(), false: "MySQL"}[cfg.EmbeddedDatabase()],
			"redis", map[bool]string{true: "in-process Redis-protocol server at " + embeddedAddr, false: "Redis"}[cfg.EmbeddedRedis()],
		)
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(a.db.SQL, string(a.db.Dialect)),
		redis.NewPoolCollector(a.redis),
	)
	svc, err := a.buildServices(ctx)
	if err != nil {
		return nil, err
	}
	a.svc = svc
	if cfg.Dispatch.WebhookURL != "" {
		svc.dispatch.pushes = &push.Dispatcher{Store: mysql.NewPushDeliveryStore(a.db), Log: log.With("component", "push"), Metrics: push.NewMetrics(reg),
			Providers: map[string]push.Provider{"webhook": &push.WebhookProvider{URL: cfg.Dispatch.WebhookURL, Secret: []byte(cfg.Dispatch.WebhookSecret)}}}
	}
	svc.dispatch.hub.Metrics = push.NewStreamMetrics(reg)
	reg.MustRegister(newDispatchCollector(svc.dispatch.store))
	observeFilingBatches(reg, svc.filings)
	if cfg.EmbeddedDatabase() || cfg.Demo {
		if err := seedDemo(ctx, svc, log); err != nil {
			return nil, fmt.Errorf("demo data: %w", err)
		}
	}
	hub, roomTokens, err := newHub(cfg, svc.signKey.Private, svc.video, svc.files, log)
	if err != nil {
		return nil, err
	}
	a.hub = hub
	svc.mediation.LiveRooms, svc.visits.LiveRooms = liveRooms{hub}, liveRooms{hub} // a case or booking that ends ends its room now
	deps := svc.apiDeps(api.Deps{
		Config:   cfg.HTTP,
		Log:      log,
		Registry: reg,
		OpenAPI:  tiaojie.OpenAPI,
		Ready: []api.Check{
			{Name: "database", Ping: a.db.Ping},
			{Name: "redis", Ping: func(ctx context.Context) error { return a.redis.Ping(ctx).Err() }},
			{Name: "storage", Ping: svc.files.Probe},
		},
		Lifetime: a.lifetime,
	})
	deps.RTC = &api.RTC{Hub: hub, Tokens: roomTokens, ICE: cfg.ICE, Recordings: svc.video, Files: svc.files, Origins: cfg.HTTP.CORSOrigins,
		Placement: redis.NewRoomPlacement(a.redis, cfg.RedisPrefix), Self: cfg.PublicURL}
	a.http, err = api.New(deps)
	if err != nil {
		return nil, err
	}
	return a, nil
}

func openDatabase(ctx context.Context, cfg Config, log *slog.Logger) (*mysql.DB, error) {
	db, err := mysql.Open(ctx, mysql.Config{DSN: cfg.MySQLDSN, SQLitePath: cfg.SQLitePath(), MaxOpenConns: cfg.DBMaxOpenConns}, log)
	if err != nil {
		return nil, err
	}
	n, err := mysql.Migrate(ctx, db, migrations.FS, log)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	log.Info("database schema up to date", "dialect", db.Dialect, "applied_now", n)
	return db, nil
}

// run serves on ln until ctx ends, then shuts down in order: readiness fails,
// HTTP drains in-flight requests, then Redis and the database close.
func (a *application) run(ctx context.Context, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- a.http.Serve(ln) }()
	workers, stopWorkers := context.WithCancel(context.WithoutCancel(ctx))
	workersDone := make(chan struct{})
	go func() {
		defer close(workersDone)
		var wg sync.WaitGroup
		wg.Add(6)
		go func() {
			defer wg.Done()
			runPairingJobs(workers, a.svc.fusion.pairing, a.log.With("component", "pairing"))
		}()
		go func() { defer wg.Done(); runDetentionJobs(workers, a.svc.visits, a.log.With("component", "visits")) }()
		go func() {
			defer wg.Done()
			runDispatch(workers, a.svc.dispatch, a.cfg.Dispatch, a.log.With("component", "dispatch"), nil)
		}()
		go func() {
			defer wg.Done()
			runWarnings(workers, a.svc.warnings, a.cfg.WarningInterval, a.log.With("component", "warnings"))
		}()
		go func() { defer wg.Done(); runRetention(workers, a, a.log.With("component", "retention")) }()
		go func() {
			defer wg.Done()
			runFusion(workers, a.svc.register, a.svc.meetings, time.Hour, a.log.With("component", "fusion"))
		}()
		wg.Wait()
	}()
	defer func() { stopWorkers(); <-workersDone }()
	a.log.Info("listening", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	a.log.Info("shutting down", "timeout", a.cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.ShutdownTimeout)
	defer cancel()
	start := time.Now()
	a.stopLifetime()
	err := a.http.Shutdown(sctx)
	// Stopped before Serve had registered the listener, Shutdown finds
	// nothing to close and Serve would then serve forever: closing the
	// listener here makes a late Serve return at once (a no-op otherwise).
	_ = ln.Close()
	if serr := <-errc; serr != nil && err == nil {
		err = serr
	}
	a.log.Info("http drained", "took", time.Since(start))
	if herr := a.hub.Close(sctx); herr != nil { // tells clients, closes PeerConnections, finalises recordings
		err = errors.Join(err, herr)
	}
	a.hub = nil
	stopWorkers()
	<-workersDone
	return errors.Join(err, a.close())
}

// close releases everything in the reverse order of construction; it is safe
// to call twice.
func (a *application) close() error {
	if a.closeOnce {
		return nil
	}
	a.closeOnce = true
	var errs []error
	if a.stopLifetime != nil {
		a.stopLifetime()
	}
	if a.hub != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		errs = append(errs, a.hub.Close(ctx))
		cancel()
	}
	if a.streamRedis != nil {
		errs = append(errs, a.streamRedis.Close())
	}
	if a.redis != nil {
		errs = append(errs, a.redis.Close())
	}
	if a.embedded != nil {
		a.embedded.Close()
	}
	if a.db != nil {
		errs = append(errs, a.db.Close())
	}
	a.log.Info("stopped")
	return errors.Join(errs...)
}
