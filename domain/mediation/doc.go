// Package mediation is the heart of the product: a citizen's request for
// mediation, consultation or document drafting (矛盾纠纷), its triage into
// civil / public-security / minor-criminal-with-civil-part (先筛选、后推送),
// routing to a lead and an assistant (律师主调、民警协助 or the reverse), the
// case state machine, mediation records with two-level approval (两级审批),
// judicial confirmation (司法确认) and the citizen's satisfaction rating.
package mediation
