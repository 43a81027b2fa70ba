package crypto

import (
	"crypto/rand"

	"golang.org/x/crypto/bcrypt"

	"github.com/tiaojie/tiaojie/domain/account"
)

// Passwords hashes with bcrypt; Cost 10 is about 50 ms here, enough to make
// guessing slow and cheap enough for logins.
type Passwords struct{ Cost int }

var _ account.Passwords = Passwords{}

// Hash implements account.Passwords.
func (p Passwords) Hash(pw string) (string, error) {
	cost := p.Cost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	b, err := bcrypt.GenerateFromPassword([]byte(pw), cost)
	return string(b), err
}

// Matches implements account.Passwords in constant time for a given hash.
func (p Passwords) Matches(hash, pw string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

var randRead = rand.Read
