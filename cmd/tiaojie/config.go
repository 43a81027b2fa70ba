package main

import (
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/tiaojie/tiaojie/api"
	"github.com/tiaojie/tiaojie/domain/assessment"
	"github.com/tiaojie/tiaojie/domain/workorder"
	"github.com/tiaojie/tiaojie/infra/logging"
	"github.com/tiaojie/tiaojie/realtime"
)

// Config is every setting of the server, read once from the environment
// (see the table in README.md) and passed down as sub-structs.
type Config struct {
	Addr            string
	MySQLDSN        string
	RedisURL        string
	RedisPrefix     string
	DataDir         string
	JWTKeys         string
	JWTKeyFile      string
	LogLevel        slog.Level
	LogFormat       string
	DBMaxOpenConns  int
	ShutdownTimeout time.Duration
	HTTP            api.Config
	Demo            bool

	Secret             string
	SMSWebhookURL      string
	MiniApp            MiniAppConfig
	DutyFrom, DutyTo   time.Duration
	MaxAttachmentBytes int
	WarningInterval    time.Duration
	PasswordCost       int
	Retention          time.Duration
	RecordingRetention time.Duration
	RTC                realtime.Config
	ICE                realtime.ICEConfig
	Dispatch           DispatchConfig
	PublicURL          string // this instance's base URL as clients reach it (video rooms live on one instance)
	Assessment         assessment.Config
	Money              assessment.Money
}

// DispatchConfig is how work orders travel and how long they may take.
type DispatchConfig struct {
	SLA            workorder.SLA
	WorkHours      string
	Holidays       []string
	MakeUpDays     []string
	AckTimeout     time.Duration // an unacknowledged delivery is redelivered after this
	ReconcileAfter time.Duration // a queued order nobody acknowledged is re-sent after this
	Tick           time.Duration // how often SLA clocks and the reconciler run
	StreamConns    int
	WebhookURL     string
	WebhookSecret  string
}

// MiniAppConfig is the mini-program platform's code-to-session endpoint.
type MiniAppConfig struct {
	BaseURL, AppID, Secret string
}

// EmbeddedDatabase reports whether the database is the SQLite file.
func (c Config) EmbeddedDatabase() bool { return c.MySQLDSN == "" }

// EmbeddedRedis reports whether Redis is the in-process server.
func (c Config) EmbeddedRedis() bool { return c.RedisURL == "" }

// SQLitePath is where the embedded database lives.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "tiaojie.db") }

// loadConfig reads the TIAOJIE_* variables through getenv (os.Getenv in main,
// a map in tests) and reports every bad one at once.
func loadConfig(getenv func(string) string) (Config, error) {
	env := envReader{get: getenv}
	cfg := Config{
		Addr:            env.str("TIAOJIE_ADDR", ":8080"),
		MySQLDSN:        env.str("TIAOJIE_MYSQL_DSN", ""),
		RedisURL:        env.str("TIAOJIE_REDIS_URL", ""),
		RedisPrefix:     env.str("TIAOJIE_REDIS_PREFIX", "tj:"),
		DataDir:         env.str("TIAOJIE_DATA_DIR", "./data"),
		JWTKeys:         env.str("TIAOJIE_JWT_KEYS", ""),
		JWTKeyFile:      env.str("TIAOJIE_JWT_KEY_FILE", ""),
		LogFormat:       env.str("TIAOJIE_LOG_FORMAT", "json"),
		DBMaxOpenConns:  env.integer("TIAOJIE_DB_MAX_OPEN_CONNS", 32),
		ShutdownTimeout: env.duration("TIAOJIE_SHUTDOWN_TIMEOUT", 20*time.Second),
		HTTP:            api.DefaultConfig(),
	}
	cfg.Secret = env.str("TIAOJIE_SECRET", "")
	cfg.PublicURL = strings.TrimSuffix(env.str("TIAOJIE_PUBLIC_URL", ""), "/")
	if cfg.PublicURL != "" && !strings.HasPrefix(cfg.PublicURL, "http://") && !strings.HasPrefix(cfg.PublicURL, "https://") {
		env.errs = append(env.errs, fmt.Errorf("TIAOJIE_PUBLIC_URL: %q, want http(s)://host[:port]", cfg.PublicURL))
	}
	cfg.SMSWebhookURL = env.str("TIAOJIE_SMS_WEBHOOK_URL", "")
	cfg.MiniApp = MiniAppConfig{BaseURL: env.str("TIAOJIE_MINIAPP_BASE_URL", ""), AppID: env.str("TIAOJIE_MINIAPP_APP_ID", ""),
		Secret: env.str("TIAOJIE_MINIAPP_SECRET", "")}
	cfg.Retention = env.duration("TIAOJIE_RETENTION", 3*365*24*time.Hour)
	cfg.RecordingRetention = env.duration("TIAOJIE_RECORDING_RETENTION", 365*24*time.Hour)
	cfg.RTC = realtime.Config{
		UDPPortMin: uint16(env.integer("TIAOJIE_RTC_UDP_PORT_MIN", 50000)), UDPPortMax: uint16(env.integer("TIAOJIE_RTC_UDP_PORT_MAX", 50999)),
		UDPMuxPort: env.integer("TIAOJIE_RTC_UDP_MUX_PORT", 0), NAT1To1IPs: env.list("TIAOJIE_RTC_NAT_IPS"),
		STUNURLs: env.list("TIAOJIE_STUN_URLS"), IncludeLoopback: env.str("TIAOJIE_RTC_LOOPBACK", "true") == "true",
		MaxParticipants: env.integer("TIAOJIE_RTC_MAX_PARTICIPANTS", 8), MaxBitrate: env.integer("TIAOJIE_RTC_MAX_BITRATE", 1_500_000),
		TempDir: filepath.Join(cfg.DataDir, "tmp"),
	}
	cfg.ICE = realtime.ICEConfig{STUNURLs: env.list("TIAOJIE_STUN_URLS"), TURNURLs: env.list("TIAOJIE_TURN_URLS"), Secret: env.str("TIAOJIE_TURN_SECRET", "")}
	if len(cfg.ICE.TURNURLs) > 0 && cfg.ICE.Secret == "" {
		env.errs = append(env.errs, errors.New("TIAOJIE_TURN_URLS needs TIAOJIE_TURN_SECRET (the TURN server's static-auth-secret)"))
	}
	if cfg.RTC.UDPPortMin > cfg.RTC.UDPPortMax {
		env.errs = append(env.errs, errors.New("TIAOJIE_RTC_UDP_PORT_MIN must not exceed TIAOJIE_RTC_UDP_PORT_MAX"))
	}
	cfg.Dispatch = DispatchConfig{WorkHours: env.str("TIAOJIE_WORK_HOURS", "08:30-17:30"), Holidays: env.list("TIAOJIE_HOLIDAYS"),
		MakeUpDays: env.list("TIAOJIE_MAKEUP_WORKDAYS"), AckTimeout: env.duration("TIAOJIE_ACK_TIMEOUT", 30*time.Second),
		ReconcileAfter: env.duration("TIAOJIE_RECONCILE_AFTER", 2*time.Minute), Tick: env.duration("TIAOJIE_DISPATCH_TICK", time.Second),
		StreamConns: env.integer("TIAOJIE_STREAM_CONNS", 1000), WebhookURL: env.str("TIAOJIE_PUSH_WEBHOOK_URL", ""),
		WebhookSecret: env.str("TIAOJIE_PUSH_WEBHOOK_SECRET", "")}
	if sla, err := workorder.ParseSLA(env.str("TIAOJIE_SLA", ""), workorder.DefaultSLA); err != nil {
		env.errs = append(env.errs, fmt.Errorf("TIAOJIE_SLA: %w", err))
	} else {
		cfg.Dispatch.SLA = sla
	}
	if _, _, err := workorder.ParseHours(cfg.Dispatch.WorkHours); err != nil {
		env.errs = append(env.errs, fmt.Errorf("TIAOJIE_WORK_HOURS: %w", err))
	}
	for _, d := range append(append([]string{}, cfg.Dispatch.Holidays...), cfg.Dispatch.MakeUpDays...) {
		if _, err := time.Parse("2006-01-02", d); err != nil {
			env.errs = append(env.errs, fmt.Errorf("TIAOJIE_HOLIDAYS / TIAOJIE_MAKEUP_WORKDAYS: %q is not a date like 2026-10-01", d))
		}
	}
	if cfg.Dispatch.WebhookURL != "" && cfg.Dispatch.WebhookSecret == "" {
		env.errs = append(env.errs, errors.New("TIAOJIE_PUSH_WEBHOOK_URL needs TIAOJIE_PUSH_WEBHOOK_SECRET (the HMAC key the gateway verifies)"))
	}
	var err error
	if cfg.Assessment, err = assessment.ParseConfig(env.str("TIAOJIE_ASSESSMENT", ""), assessment.DefaultConfig); err != nil {
		env.errs = append(env.errs, fmt.Errorf("TIAOJIE_ASSESSMENT: %w", err))
	}
	if cfg.Money, err = assessment.ParseMoney(env.str("TIAOJIE_SUBSIDIES", ""), assessment.DefaultMoney); err != nil {
		env.errs = append(env.errs, fmt.Errorf("TIAOJIE_SUBSIDIES: %w", err))
	}
	cfg.PasswordCost = env.integer("TIAOJIE_PASSWORD_COST", 10)
	if cfg.PasswordCost < 4 || cfg.PasswordCost > 14 {
		env.errs = append(env.errs, fmt.Errorf("TIAOJIE_PASSWORD_COST: %d, want 4 to 14 (bcrypt cost; 10 is the default)", cfg.PasswordCost))
	}
	cfg.MaxAttachmentBytes = env.integer("TIAOJIE_MAX_ATTACHMENT_BYTES", 5<<20)
	cfg.WarningInterval = env.duration("TIAOJIE_WARNING_INTERVAL", 2*time.Second)
	duty := env.str("TIAOJIE_DUTY_HOURS", "09:00-18:00")
	if from, to, ok := parseHours(duty); ok {
		cfg.DutyFrom, cfg.DutyTo = from, to
	} else {
		env.errs = append(env.errs, fmt.Errorf("TIAOJIE_DUTY_HOURS: %q, want HH:MM-HH:MM like 09:00-18:00", duty))
	}
	level, err := logging.ParseLevel(env.str("TIAOJIE_LOG_LEVEL", "info"))
	if err != nil {
		env.errs = append(env.errs, fmt.Errorf("TIAOJIE_LOG_LEVEL: %w", err))
	}
	cfg.LogLevel = level
	cfg.HTTP.BodyLimit = env.integer("TIAOJIE_BODY_LIMIT", cfg.HTTP.BodyLimit)
	cfg.HTTP.JSONLimit = env.integer("TIAOJIE_JSON_LIMIT", cfg.HTTP.JSONLimit)
	cfg.HTTP.ReadTimeout = env.duration("TIAOJIE_READ_TIMEOUT", cfg.HTTP.ReadTimeout)
	cfg.HTTP.WriteTimeout = env.duration("TIAOJIE_WRITE_TIMEOUT", cfg.HTTP.WriteTimeout)
	cfg.HTTP.IdleTimeout = env.duration("TIAOJIE_IDLE_TIMEOUT", cfg.HTTP.IdleTimeout)
	cfg.HTTP.CORSOrigins = env.list("TIAOJIE_CORS_ORIGINS")
	cfg.HTTP.ProxyHeader = env.str("TIAOJIE_PROXY_HEADER", "")
	cfg.HTTP.TrustedProxies = env.list("TIAOJIE_TRUSTED_PROXIES")
	zone := env.str("TIAOJIE_TIMEZONE", "Asia/Shanghai")
	if loc, err := time.LoadLocation(zone); err != nil {
		env.errs = append(env.errs, fmt.Errorf("TIAOJIE_TIMEZONE: %q is not a time zone", zone))
	} else {
		cfg.HTTP.Location = loc
	}

	if cfg.LogFormat != "json" && cfg.LogFormat != "text" {
		env.errs = append(env.errs, fmt.Errorf("TIAOJIE_LOG_FORMAT: %q, want json or text", cfg.LogFormat))
	}
	if cfg.MaxAttachmentBytes > cfg.HTTP.BodyLimit {
		env.errs = append(env.errs, errors.New("TIAOJIE_MAX_ATTACHMENT_BYTES must not exceed TIAOJIE_BODY_LIMIT"))
	}
	if cfg.HTTP.JSONLimit > cfg.HTTP.BodyLimit {
		env.errs = append(env.errs, errors.New("TIAOJIE_JSON_LIMIT must not exceed TIAOJIE_BODY_LIMIT"))
	}
	if cfg.HTTP.ProxyHeader != "" && len(cfg.HTTP.TrustedProxies) == 0 {
		env.errs = append(env.errs, errors.New("TIAOJIE_PROXY_HEADER needs TIAOJIE_TRUSTED_PROXIES: a proxy header from anyone else is a spoofed client IP"))
	}
	for _, o := range cfg.HTTP.CORSOrigins {
		if o == "*" {
			env.errs = append(env.errs, errors.New("TIAOJIE_CORS_ORIGINS: list the origins; * would let any web page call the API"))
		}
	}
	return cfg, errors.Join(env.errs...)
}

// LogValue prints the configuration with secrets masked, for the start-up line.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("addr", c.Addr),
		slog.String("database", maskDSN(c.MySQLDSN, "embedded sqlite "+c.SQLitePath())),
		slog.String("redis", maskDSN(c.RedisURL, "embedded in-process server")),
		slog.String("redis_prefix", c.RedisPrefix),
		slog.String("data_dir", c.DataDir),
		slog.Bool("jwt_keys_set", c.JWTKeys != "" || c.JWTKeyFile != ""),
		slog.Bool("secret_set", c.Secret != ""),
		slog.Bool("sms_webhook", c.SMSWebhookURL != ""),
		slog.String("duty_hours", c.DutyFrom.String()+"-"+c.DutyTo.String()),
		slog.String("log_level", c.LogLevel.String()),
		slog.String("timezone", c.HTTP.Location.String()),
		slog.Int("body_limit", c.HTTP.BodyLimit),
		slog.Any("cors_origins", c.HTTP.CORSOrigins),
		slog.Duration("shutdown_timeout", c.ShutdownTimeout),
		slog.Bool("demo", c.Demo),
	)
}

// maskDSN hides the password of a DSN or URL ("user:secret@" → "user:***@").
func maskDSN(dsn, ifEmpty string) string {
	if dsn == "" {
		return ifEmpty
	}
	at := strings.LastIndex(dsn, "@")
	if at < 0 {
		return dsn
	}
	userinfo := dsn[:at]
	start := strings.Index(userinfo, "://") + 3
	if start < 3 {
		start = 0
	}
	if colon := strings.Index(userinfo[start:], ":"); colon >= 0 {
		return dsn[:start+colon+1] + "***" + dsn[at:]
	}
	return dsn
}

type envReader struct {
	get  func(string) string
	errs []error
}

func (e *envReader) str(key, def string) string {
	if v := strings.TrimSpace(e.get(key)); v != "" {
		return v
	}
	return def
}

func (e *envReader) integer(key string, def int) int {
	v := e.str(key, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		e.errs = append(e.errs, fmt.Errorf("%s: %q is not a positive integer", key, v))
		return def
	}
	return n
}

func (e *envReader) duration(key string, def time.Duration) time.Duration {
	v := e.str(key, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		e.errs = append(e.errs, fmt.Errorf("%s: %q is not a positive duration like 15s", key, v))
		return def
	}
	return d
}

func (e *envReader) list(key string) []string {
	var out []string
	for _, part := range strings.Split(e.get(key), ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseHours reads "09:00-18:00" ("24:00" allowed as an end).
func parseHours(s string) (from, to time.Duration, ok bool) {
	a, b, found := strings.Cut(s, "-")
	if !found {
		return 0, 0, false
	}
	parse := func(hm string) (time.Duration, bool) {
		h, m, found := strings.Cut(strings.TrimSpace(hm), ":")
		hh, err1 := strconv.Atoi(h)
		mm, err2 := strconv.Atoi(m)
		if !found || err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || (hh == 24 && mm != 0) {
			return 0, false
		}
		return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, true
	}
	from, ok1 := parse(a)
	to, ok2 := parse(b)
	return from, to, ok1 && ok2 && from < to
}
