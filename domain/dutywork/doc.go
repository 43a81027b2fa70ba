// Package dutywork is the stationed lawyers' duties besides mediation (seed
// 000: "参与矛盾纠纷调解、提供法律咨询服务、开展专业法治宣传、协助涉警事务处理
// 等4项职能"): legal consultations given at the station (法律咨询), legal
// education sessions (法治宣传) with their photos, and help with police
// matters (协助涉警事务). Mediation itself is a case (domain/mediation); the
// other three are recorded here, one record per piece of work, and counted
// beside the cases in statistics, the daily ledger, attendance and the
// firms' monthly assessment.
package dutywork
