// Package redis keeps the domain's queues, counters, rate limits and
// revocation lists in Redis through go-redis. Every key starts with a
// configurable prefix, so that several test runs (or deployments) can share
// one server. Redis holds nothing that cannot be rebuilt from the database.
package redis
