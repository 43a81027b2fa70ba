package api

import "github.com/tiaojie/tiaojie/domain/account"

// Role names, as routes declare them.
const (
	citizen    = account.RoleCitizen
	lawyer     = account.RoleLawyer
	mediator   = account.RoleMediator
	police     = account.RolePolice
	supervisor = account.RoleSupervisor
	admin      = account.RoleAdmin
	firmHead   = account.RoleFirmHead
)

// staff are the roles that work orders go to.
var staff = []string{police, account.RoleDetentionStaff, lawyer, mediator, account.RolePartner, supervisor, admin}

// routeTable is every endpoint with its access policy. Each one must also
// be in openapi.yaml: TestServedRoutesMatchTheSpec fails on any difference,
// either way, and TestEveryRouteEnforcesItsPolicy walks this table.
func (s *Server) routeTable(d Deps, docs *docsPage) []route {
	return []route{
		{"GET", "/healthz", public(), s.healthz},
		{"GET", "/readyz", public(), s.readyz},
		{"GET", "/metrics", public(), metricsHandler(d.Registry)},
		{"GET", "/docs", public(), docs.page},
		{"GET", "/openapi.yaml", public(), docs.yaml},

		{"POST", "/api/v1/auth/sms-code", public(), s.requestCode},
		{"POST", "/api/v1/auth/citizen-login", public(), s.citizenLogin},
		{"POST", "/api/v1/auth/miniprogram-login", public(), s.miniAppLogin},
		{"POST", "/api/v1/auth/staff-login", public(), s.staffLogin},
		{"POST", "/api/v1/auth/refresh", public(), s.refresh},
		{"POST", "/api/v1/auth/logout", signedIn(), s.logout},
		{"GET", "/api/v1/me", signedIn(), s.me},

		{"GET", "/api/v1/admin/organizations", roles(admin), s.listOrgs},
		{"POST", "/api/v1/admin/organizations", roles(admin), s.createOrg},
		{"PATCH", "/api/v1/admin/organizations/:id", roles(admin), s.changeOrg},
		{"GET", "/api/v1/admin/users", roles(admin), s.listUsers},
		{"POST", "/api/v1/admin/users", roles(admin), s.createUser},
		{"PATCH", "/api/v1/admin/users/:id", roles(admin), s.changeUser},
		{"GET", "/api/v1/admin/users/:id/export", roles(admin), s.exportUser},
		{"GET", "/api/v1/admin/audit-log", roles(admin), s.auditLog},

		{"GET", "/api/v1/stations", signedIn(), s.listStations},
		{"GET", "/api/v1/categories", signedIn(), s.listCategories},
		{"GET", "/api/v1/lawyers", signedIn(), s.listProfiles(lawyer)},
		{"GET", "/api/v1/lawyers/:id", signedIn(), s.getProfile(lawyer)},
		{"GET", "/api/v1/mediators", signedIn(), s.listProfiles(mediator)},
		{"GET", "/api/v1/mediators/:id", signedIn(), s.getProfile(mediator)},
		{"POST", "/api/v1/requests", roles(citizen), s.fileRequest},
		{"GET", "/api/v1/requests", signedIn(), s.listRequests},
		{"GET", "/api/v1/requests/:id", signedIn(), s.getRequest},
		{"POST", "/api/v1/requests/:id/screen", roles(police, supervisor, admin), s.screenRequest},
		{"POST", "/api/v1/requests/:id/transition", roles(citizen, lawyer, mediator, police, supervisor, admin), s.transitionRequest},
		{"POST", "/api/v1/requests/:id/assign", roles(police, supervisor), s.assignRequest},
		{"POST", "/api/v1/requests/:id/records", roles(lawyer, mediator, police), s.saveRecord},
		{"POST", "/api/v1/requests/:id/records/submit", roles(lawyer, mediator, police), s.submitRecord},
		{"POST", "/api/v1/requests/:id/approve", roles(police, supervisor), s.approveRecord},
		{"POST", "/api/v1/requests/:id/rate", roles(citizen), s.rateRequest},
		{"POST", "/api/v1/requests/:id/judicial-confirmation", roles(lawyer, mediator, police, supervisor, admin), s.requestConfirmation},
		{"POST", "/api/v1/requests/:id/judicial-confirmation/decision", roles(account.RolePartner), s.decideConfirmation},
		{"POST", "/api/v1/requests/:id/attachments", roles(citizen, lawyer, mediator, police, account.RolePartner), s.addAttachment},
		{"GET", "/api/v1/requests/:id/attachments/:attachment_id", signedIn(), s.getAttachment},
		{"POST", "/api/v1/requests/:id/tags", roles(lawyer, mediator, police, supervisor, admin), s.addTag},
		{"DELETE", "/api/v1/requests/:id/tags/:tag", roles(lawyer, mediator, police, supervisor, admin), s.removeTag},
		{"GET", "/api/v1/tag-vocabulary", roles(lawyer, mediator, police, supervisor, admin), s.tagVocabulary},
		{"POST", "/api/v1/tag-vocabulary", roles(police, supervisor, admin), s.addVocabularyTag},
		{"DELETE", "/api/v1/tag-vocabulary/:id", roles(police, supervisor, admin), s.removeVocabularyTag},
		{"GET", "/api/v1/search/requests", roles(lawyer, mediator, police, supervisor, admin), s.searchRequests},
		{"POST", "/api/v1/conflict-checks", roles(lawyer, mediator, police, supervisor, admin), s.checkConflict},
		{"GET", "/api/v1/notifications", signedIn(), s.listNotifications},
		{"POST", "/api/v1/notifications/read", signedIn(), s.markNotificationsRead},

		{"POST", "/api/v1/requests/:id/rooms", roles(lawyer, mediator, police, supervisor), s.openRoom},
		{"POST", "/api/v1/rooms/:id/join-token", signedIn(), s.joinToken},
		{"GET", "/api/v1/rooms/:id/signal", public(), s.signal()},
		{"GET", "/api/v1/rooms/:id/recordings", roles(lawyer, mediator, police, supervisor, admin), s.listRecordings},
		{"GET", "/api/v1/rooms/:id/recordings/:recording_id", roles(lawyer, mediator, police, supervisor, admin), s.getRecording},
		{"POST", "/api/v1/rtc/check", signedIn(), s.rtcCheck},
		{"GET", "/app/mediation", public(), mediationPage},
		{"GET", "/app/mediation/:file", public(), mediationAsset},
		{"GET", "/console/*", public(), consoleFile},
		{"GET", "/h5/*", public(), h5File},

		{"GET", "/api/v1/work-orders", roles(staff...), s.listWorkOrders},
		{"GET", "/api/v1/work-orders/:id", roles(staff...), s.getWorkOrder},
		{"POST", "/api/v1/work-orders/:id/claim", roles(staff...), s.actOnWorkOrder("claim")},
		{"POST", "/api/v1/work-orders/:id/complete", roles(staff...), s.actOnWorkOrder("complete")},
		{"POST", "/api/v1/work-orders/:id/reassign", roles(staff...), s.actOnWorkOrder("reassign")},
		{"POST", "/api/v1/work-orders/:id/cancel", roles(staff...), s.actOnWorkOrder("cancel")},
		{"POST", "/api/v1/work-orders/:id/wait", roles(staff...), s.actOnWorkOrder("wait")},
		{"POST", "/api/v1/work-orders/:id/resume", roles(staff...), s.actOnWorkOrder("resume")},
		{"GET", "/api/v1/staff/stream", public(), s.staffStream()},
		{"GET", "/api/v1/admin/units/:id/dispatch", roles(supervisor, admin), s.getUnitDispatch},
		{"PUT", "/api/v1/admin/units/:id/dispatch", roles(supervisor, admin), s.putUnitDispatch},

		{"GET", "/api/v1/detention-centers", signedIn(), s.listDetentionCentres},
		{"GET", "/api/v1/me/detainees", roles(citizen), s.listMyDetainees},
		{"GET", "/api/v1/detainees", roles(detentionDesk...), s.listDetainees},
		{"POST", "/api/v1/detainees", roles(detentionDesk...), s.createDetainee},
		{"GET", "/api/v1/detainees/:id", roles(detentionDesk...), s.getDetainee},
		{"POST", "/api/v1/detainees/:id/family", roles(detentionDesk...), s.linkDetaineeFamily},
		{"POST", "/api/v1/detainees/:id/behaviour", roles(detentionDesk...), s.recordDetaineeBehaviour},
		{"POST", "/api/v1/detainees/:id/label", roles(detentionDesk...), s.overrideDetaineeLabel},
		{"POST", "/api/v1/detainees/:id/release", roles(detentionDesk...), s.releaseDetainee},
		{"POST", "/api/v1/detainees/:id/transfer", roles(detentionDesk...), s.transferDetainee},
		{"GET", "/api/v1/follow-ups/:id", roles(followUpDesk...), s.getFollowUp},
		{"POST", "/api/v1/follow-ups/:id/visits", roles(followUpDesk...), s.addFollowUpVisit},
		{"POST", "/api/v1/follow-ups/:id/assessment", roles(followUpDesk...), s.assessFollowUp},
		{"POST", "/api/v1/follow-ups/:id/close", roles(followUpDesk...), s.closeFollowUp},
		{"GET", "/api/v1/joint-mediation-lines", roles(staff...), s.listJointBusinessLines},
		{"POST", "/api/v1/joint-mediations", roles(detentionDesk...), s.createJointMediation},
		{"GET", "/api/v1/joint-mediations/:id", roles(staff...), s.getJointMediation},
		{"GET", "/api/v1/joint-mediations/:id/messages", roles(staff...), s.listJointMessages},
		{"POST", "/api/v1/joint-mediations/:id/messages", roles(staff...), s.postJointMessage},
		{"POST", "/api/v1/joint-mediations/:id/decision", roles(detentionDesk...), s.decideJointMediation},
		{"POST", "/api/v1/joint-mediations/:id/early-release", roles(supervisor), s.markJointEarlyRelease},
		{"GET", "/api/v1/detention-centers/:id/visit-slots", signedIn(), s.listVisitSlots},
		{"GET", "/api/v1/detention-centers/:id/visit-rules", signedIn(), s.getVisitRules},
		{"PUT", "/api/v1/detention-centers/:id/visit-rules", roles(visitDesk...), s.putVisitRules},
		{"GET", "/api/v1/detention-centers/:id/visit-templates", roles(visitDesk...), s.getVisitTemplates},
		{"PUT", "/api/v1/detention-centers/:id/visit-templates", roles(visitDesk...), s.putVisitTemplates},
		{"GET", "/api/v1/detention-centers/:id/blocked-dates", roles(visitDesk...), s.listBlockedDates},
		{"POST", "/api/v1/detention-centers/:id/blocked-dates", roles(visitDesk...), s.blockDate},
		{"DELETE", "/api/v1/detention-centers/:id/blocked-dates/:date", roles(visitDesk...), s.unblockDate},
		{"POST", "/api/v1/visit-slots/:id/hold", roles(citizen), s.holdVisitSlot},
		{"POST", "/api/v1/visit-bookings", roles(citizen), s.createVisitBooking},
		{"GET", "/api/v1/visit-bookings", roles(visitReaders...), s.listVisitBookings},
		{"GET", "/api/v1/visit-bookings/:id", roles(visitReaders...), s.getVisitBooking},
		{"POST", "/api/v1/visit-bookings/:id/approve", roles(visitDesk...), s.actOnVisitBooking("approve")},
		{"POST", "/api/v1/visit-bookings/:id/refuse", roles(visitDesk...), s.actOnVisitBooking("refuse")},
		{"POST", "/api/v1/visit-bookings/:id/cancel", roles(visitReaders...), s.actOnVisitBooking("cancel")},
		{"POST", "/api/v1/visit-bookings/:id/reschedule", roles(citizen), s.actOnVisitBooking("reschedule")},
		{"POST", "/api/v1/visit-bookings/:id/attendance", roles(visitDesk...), s.actOnVisitBooking("attendance")},

		{"GET", "/api/v1/warning-rules", roles(supervisor, admin), s.listRules},
		{"POST", "/api/v1/warning-rules", roles(admin), s.createRule},
		{"PUT", "/api/v1/warning-rules/:id", roles(admin), s.updateRule},
		{"GET", "/api/v1/warnings", roles(police, supervisor, admin), s.listWarnings},
		{"POST", "/api/v1/warnings/:id/acknowledge", roles(police, supervisor, admin), s.actOnWarning("acknowledge")},
		{"POST", "/api/v1/warnings/:id/handle", roles(police, supervisor, admin), s.actOnWarning("handle")},
		{"POST", "/api/v1/warnings/:id/close", roles(supervisor, admin), s.actOnWarning("close")},
		{"GET", "/api/v1/stats/warnings", roles(police, supervisor, admin), s.warningStats},
		{"GET", "/api/v1/dv-flags", roles(lawyer, mediator, police, supervisor, admin), s.listDVFlags},
		{"POST", "/api/v1/dv-flags", roles(lawyer, mediator, police, supervisor, admin), s.flagDV},
		{"DELETE", "/api/v1/dv-flags/:id", roles(police, supervisor, admin), s.clearDVFlag},
		{"GET", "/api/v1/stats/requests", roles(police, supervisor, admin), s.requestStats},
		{"GET", "/api/v1/reports/daily", roles(police, supervisor, admin), s.dailyLedger},
		{"GET", "/api/v1/reports/monthly", roles(police, supervisor, admin), s.report("monthly")},
		{"GET", "/api/v1/reports/quarterly", roles(police, supervisor, admin), s.report("quarterly")},
		{"GET", "/api/v1/reports/subsidies", roles(firmHead, supervisor, admin), s.subsidyReport},
		{"POST", "/api/v1/duty/check-in", roles(lawyer, mediator), s.dutyAction(true)},
		{"POST", "/api/v1/duty/check-out", roles(lawyer, mediator), s.dutyAction(false)},
		{"GET", "/api/v1/duty/attendance", roles(lawyer, firmHead, supervisor, admin), s.attendanceReport},
		{"GET", "/api/v1/admin/stations/:id/duty-roster", roles(supervisor, admin), s.getRoster},
		{"PUT", "/api/v1/admin/stations/:id/duty-roster", roles(supervisor, admin), s.putRoster},
		{"POST", "/api/v1/assessments/run", roles(supervisor, admin), s.runAssessment},
		{"GET", "/api/v1/assessments", roles(firmHead, supervisor, admin), s.listAssessments},
		{"POST", "/api/v1/assessments/:id/override", roles(supervisor), s.overrideAssessment},
	}
}

// routes mounts the table behind the guard.
func (s *Server) routes(d Deps, docs *docsPage) {
	s.table = s.routeTable(d, docs)
	for _, r := range s.table {
		s.app.Add(r.method, r.path, s.guard(r.access), r.handler)
	}
}
