package app

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
)

// argon2id parameters: OWASP's minimum (19 MiB, 2 passes, 1 lane).
const (
	argonMemory = 19 * 1024
	argonTime   = 2
	argonLanes  = 1
)

// HashPassword returns an argon2id hash in PHC string form.
func HashPassword(pw string) string {
	salt := accord.RandomBytes(16)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonLanes, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", argonMemory, argonTime, argonLanes,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// CheckPassword reports whether pw matches an argon2id hash made by HashPassword.
func CheckPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// newSecret returns a random credential with a prefix and the hash under which it is stored.
func newSecret(prefix string) (secret, hash string) {
	secret = prefix + "_" + base64.RawURLEncoding.EncodeToString(accord.RandomBytes(32))
	return secret, HashSecret(secret)
}

// HashSecret is how tokens, sessions and portal links are stored: only their SHA-256.
func HashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// SignupResult is what a new account gets.
type SignupResult struct {
	User      accord.User
	Workspace accord.Workspace
	Token     string
}

// Signup creates a user, their workspace and a first API token, as the signup policy allows.
func (a *App) Signup(ctx context.Context, email, password, name string) (SignupResult, error) {
	return a.createAccount(ctx, email, password, name, true)
}

// CreateAccount creates an account whatever the signup policy: for the demo and the command line.
func (a *App) CreateAccount(ctx context.Context, email, password, name string) (SignupResult, error) {
	return a.createAccount(ctx, email, password, name, false)
}

func (a *App) createAccount(ctx context.Context, email, password, name string, checkPolicy bool) (SignupResult, error) {
	var v accord.Invalid
	email, err := accord.NormalizeEmail(email)
	if err != nil {
		v.Add("email", "field.email")
	}
	switch {
	case !accord.PlainText(password): // a password is typed: a NUL or invalid UTF-8 is not one
		v.Add("password", "field.text")
	case len([]rune(password)) < 10 || len(password) > 1000:
		v.Add("password", "field.password")
	}
	name = v.Text("name", name, true, 200)
	if err := v.Err(); err != nil {
		return SignupResult{}, err
	}
	if checkPolicy { // refuse a closed signup before the costly hash; checked again when writing
		if err := a.Store.Read(ctx, a.signupAllowed); err != nil {
			return SignupResult{}, err
		}
	}
	pwHash, err := a.hashPassword(ctx, password)
	if err != nil {
		return SignupResult{}, err
	}
	now := a.Clock.Now()
	u := accord.User{ID: accord.NewID("usr"), Email: email, Name: name, PasswordHash: pwHash, CreatedAt: now}
	ws := accord.Workspace{ID: accord.NewID("ws"), Name: name, OwnerID: u.ID, CoolingOff: accord.DefaultCoolingOff, MinPrepayment: accord.DefaultMinPrepayment,
		Timezone: "UTC", ResponseDays: accord.DefaultResponseDays, CreatedAt: now}
	token, hash := newSecret("acc")
	err = a.Store.Write(ctx, func(tx accord.Tx) error {
		if checkPolicy {
			if err := a.signupAllowed(tx); err != nil {
				return err
			}
		}
		if err := tx.CreateUser(u); err != nil {
			return err
		}
		if err := tx.CreateWorkspace(ws); err != nil {
			return err
		}
		return tx.CreateSession(accord.Session{Hash: hash, Kind: accord.SessionAPI, UserID: u.ID, WorkspaceID: ws.ID, CreatedAt: now})
	})
	return SignupResult{u, ws, token}, err
}

func (a *App) signupAllowed(tx accord.Tx) error {
	switch a.SignupPolicy {
	case "open":
		return nil
	case "first", "":
		n, err := tx.CountUsers()
		if err != nil || n == 0 {
			return err
		}
	}
	return accord.Errorf(accord.EFORBIDDEN, "error.signup_closed")
}

// Login checks a password. Each attempt is counted before the slow hash runs, so a burst of
// concurrent guesses is held to the limit; the limit is per email and address together (a flood
// cannot lock the real user out from elsewhere) and, more loosely, per address.
func (a *App) Login(ctx context.Context, email, password, addr string) (accord.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	now := a.Clock.Now()
	keys := []string{"login:" + HashSecret(email)[:32] + "|" + addr, "addr:" + addr}
	if !a.limiter.take(now, keys...) {
		return accord.User{}, accord.Errorf(accord.ERATELIMIT, "error.rate_limited", "count", int(a.limiter.window/time.Minute))
	}
	var u accord.User
	var err error = accord.Errorf(accord.ENOTFOUND, "user.not_found")
	if accord.PlainText(email) && len(email) <= 254 {
		err = a.Store.Read(ctx, func(tx accord.Tx) error {
			var err error
			u, err = tx.UserByEmail(email)
			return err
		})
	}
	if err != nil && accord.ErrorCode(err) != accord.ENOTFOUND {
		return accord.User{}, err
	}
	hash := u.PasswordHash
	if err != nil {
		hash = dummyHash() // the same work for an unknown email, so timing does not tell who has an account
	}
	if !a.checkPassword(ctx, hash, password) || err != nil {
		return accord.User{}, accord.Errorf(accord.EUNAUTHORIZED, "error.login_failed")
	}
	a.limiter.forget(keys[0])
	a.limiter.giveBack(keys[1])
	return u, nil
}

var dummyHash = sync.OnceValue(func() string { return HashPassword("no account has this password") })

// hashPassword hashes under the same bound as checkPassword.
func (a *App) hashPassword(ctx context.Context, password string) (string, error) {
	release, err := acquire(ctx, a.hashing)
	if err != nil {
		return "", err
	}
	defer release()
	return HashPassword(password), nil
}

// checkPassword runs argon2id with at most one hash per CPU at a time: each takes 19 MiB.
func (a *App) checkPassword(ctx context.Context, hash, password string) bool {
	release, err := acquire(ctx, a.hashing)
	if err != nil {
		return false
	}
	defer release()
	return CheckPassword(hash, password)
}

// CreateToken exchanges an email and password for a new API token.
func (a *App) CreateToken(ctx context.Context, email, password, addr string) (string, error) {
	return a.CreateNamedToken(ctx, email, password, addr, "")
}

// CreateNamedToken makes an API token with a label its owner will know it by.
func (a *App) CreateNamedToken(ctx context.Context, email, password, addr, label string) (string, error) {
	var v accord.Invalid
	if label = v.Text("label", label, false, 100); v.Err() != nil {
		return "", v.Err()
	}
	u, err := a.Login(ctx, email, password, addr)
	if err != nil {
		return "", err
	}
	return a.newSession(ctx, u, accord.SessionAPI, time.Time{}, label)
}

// StartWebSession logs a user in for the browser and returns the cookie's secret.
func (a *App) StartWebSession(ctx context.Context, u accord.User) (string, error) {
	return a.newSession(ctx, u, accord.SessionWeb, a.Clock.Now().Add(a.SessionTTL), "")
}

func (a *App) newSession(ctx context.Context, u accord.User, kind string, expires time.Time, label string) (string, error) {
	secret, hash := newSecret(map[string]string{accord.SessionAPI: "acc", accord.SessionWeb: "web"}[kind])
	err := a.Store.Write(ctx, func(tx accord.Tx) error {
		ws, err := a.workspaceOf(tx, u)
		if err != nil {
			return err
		}
		return tx.CreateSession(accord.Session{Hash: hash, Kind: kind, UserID: u.ID, WorkspaceID: ws,
			CreatedAt: a.Clock.Now(), ExpiresAt: expires, Hint: secret[len(secret)-4:], Label: label})
	})
	return secret, err
}

// workspaceOf finds the workspace a user acts in: for now, the one they own.
func (a *App) workspaceOf(tx accord.Tx, u accord.User) (string, error) {
	return tx.WorkspaceOfUser(u.ID)
}

// Authenticate turns a bearer secret or cookie into the session it names.
func (a *App) Authenticate(ctx context.Context, secret string) (accord.Session, error) {
	var s accord.Session
	if secret == "" {
		return s, accord.Errorf(accord.EUNAUTHORIZED, "error.unauthorized")
	}
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		var err error
		s, err = tx.Session(HashSecret(secret), a.Clock.Now())
		return err
	})
	if accord.ErrorCode(err) == accord.ENOTFOUND {
		return s, accord.Errorf(accord.EUNAUTHORIZED, "error.unauthorized")
	}
	return s, err
}

// Logout ends a session.
func (a *App) Logout(ctx context.Context, secret string) error {
	return a.Store.Write(ctx, func(tx accord.Tx) error { return tx.DeleteSession(HashSecret(secret)) })
}

// limiter counts recent attempts per key in memory: enough for one instance.
type limiter struct {
	mu       sync.Mutex
	max      map[string]int // per key prefix
	window   time.Duration
	attempts map[string][]time.Time
	pruned   time.Time
}

func newLimiter(window time.Duration, max map[string]int) *limiter {
	return &limiter{max: max, window: window, attempts: map[string][]time.Time{}}
}

func (l *limiter) recent(now time.Time, key string) []time.Time {
	kept := l.attempts[key][:0]
	for _, t := range l.attempts[key] {
		if now.Sub(t) < l.window {
			kept = append(kept, t)
		}
	}
	if len(kept) == 0 {
		delete(l.attempts, key)
		return nil
	}
	l.attempts[key] = kept
	return kept
}

// take records an attempt under every key, unless one of them is at its limit.
func (l *limiter) take(now time.Time, keys ...string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune(now)
	for _, k := range keys {
		prefix, _, _ := strings.Cut(k, ":")
		if len(l.recent(now, k)) >= l.max[prefix] {
			return false
		}
	}
	for _, k := range keys {
		l.attempts[k] = append(l.attempts[k], now)
	}
	return true
}

// giveBack removes one attempt from a key: a successful login does not use up the address's allowance.
func (l *limiter) giveBack(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if ts := l.attempts[key]; len(ts) > 0 {
		l.attempts[key] = ts[:len(ts)-1]
	}
}

// forget clears a key after a successful login.
func (l *limiter) forget(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.attempts, key)
}

// prune drops stale keys once a window, so guesses at random emails do not grow the map for ever.
func (l *limiter) prune(now time.Time) {
	if now.Sub(l.pruned) < l.window {
		return
	}
	for k := range l.attempts {
		l.recent(now, k)
	}
	l.pruned = now
}

// AuthFreelancer is who a freelancer's session or API token acts as: the session, the user and
// the workspace read in one query.
func (a *App) AuthFreelancer(ctx context.Context, secret string) (Freelancer, error) {
	if secret == "" {
		return Freelancer{}, accord.Errorf(accord.EUNAUTHORIZED, "error.unauthorized")
	}
	var f Freelancer
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		s, err := tx.FreelancerSession(HashSecret(secret), a.Clock.Now())
		f = Freelancer{UserID: s.User.ID, WorkspaceID: s.WorkspaceID, Name: s.User.Name, Email: s.User.Email,
			Lang: s.User.Language, Zone: zone(s.Timezone), ResponseDays: s.ResponseDays}
		return err
	})
	if accord.ErrorCode(err) == accord.ENOTFOUND {
		err = accord.Errorf(accord.EUNAUTHORIZED, "error.unauthorized")
	}
	return f, err
}

// AuthContact is who a portal session acts as, and how they read, read in one query.
func (a *App) AuthContact(ctx context.Context, secret string) (Contact, error) {
	if secret == "" {
		return Contact{}, accord.Errorf(accord.EUNAUTHORIZED, "error.unauthorized")
	}
	var c Contact
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		s, err := tx.ContactSession(HashSecret(secret), a.Clock.Now())
		c = Contact{WorkspaceID: s.WorkspaceID, EngagementID: s.EngagementID, Email: s.Email,
			Locale: i18n.Locale{Lang: s.Language, Zone: zone(s.Timezone)}}
		return err
	})
	if accord.ErrorCode(err) == accord.ENOTFOUND {
		err = accord.Errorf(accord.EUNAUTHORIZED, "error.unauthorized")
	}
	return c, err
}
