// Package account is identity and access: organisations, accounts and
// roles, citizen login by SMS code, staff login by password, short-lived
// access tokens with rotating refresh tokens, revocation, and the scope each
// role sees. The HTTP door turns a verified token into a domain.Actor.
package account
