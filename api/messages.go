package api

import (
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// text is one message in both languages.
type text struct{ zh, en string }

// messages translates stable error codes into words for people. A domain
// error whose code is missing here would fall back to its kind's text in
// Chinese, which says nothing of what happened; TestEveryErrorCodeHasItsOwnMessage
// keeps the list complete. In English a domain error keeps its own message,
// which may carry details (a state, a date) the catalogue cannot.
var messages = map[string]text{
	"internal":                       {"服务器内部错误，请稍后重试；如果反复出现，请把请求编号告诉管理员", "Internal error; please try again later."},
	"validation.failed":              {"提交的内容有误，请检查标出的字段", "Some fields are invalid; see errors."},
	"request.malformed":              {"请求格式错误", "The request is malformed."},
	"request.malformed_json":         {"请求体不是有效的 JSON", "The request body is not valid JSON."},
	"request.empty_body":             {"请求体不能为空", "The request body is empty."},
	"request.too_large":              {"请求内容过大", "The request body is too large."},
	"request.unsupported_media_type": {"不支持的内容类型，请使用 application/json", "Unsupported content type; send application/json."},
	"request.timeout":                {"请求超时", "The request timed out."},
	"request.headers_too_large":      {"请求头过大", "The request headers are too large."},
	"request.rate_limited":           {"请求过于频繁，已被暂时限制，请稍等片刻再试", "Too many requests; slow down."},
	"route.not_found":                {"请求的地址不存在", "No such endpoint."},
	"route.method_not_allowed":       {"该地址不支持此请求方法", "This endpoint does not accept that method."},
	"service.unavailable":            {"服务暂时不可用（数据库或缓存连接中断），请稍后重试", "The service is temporarily unavailable."},
	"service.not_ready":              {"服务尚未就绪", "The service is not ready."},

	// Domain codes, one each: the Chinese says what happened and what to do.
	// TestEveryErrorCodeHasItsOwnMessage finds every code in the sources and
	// fails on one missing here.
	"assessment.changed":                     {"考核结果刚被他人修改，请刷新查看最新结果后再操作", "The assessment changed meanwhile; reload it."},
	"attachment.not_found":                   {"找不到该附件，可能已被删除，请刷新附件列表", "No such attachment."},
	"attachment.request_finished":            {"该申请已办结，不能再上传附件", "A finished request takes no more attachments."},
	"attachment.too_many":                    {"该申请的附件数量已达上限，不能再上传", "This request has the most attachments allowed."},
	"auth.account_disabled":                  {"该账号已被停用，请联系管理员恢复", "This account is disabled."},
	"auth.bad_credentials":                   {"用户名或密码错误，请核对后重新输入", "Wrong username or password."},
	"auth.code_expired":                      {"验证码已过期或已使用，请重新获取验证码", "The code has expired or was used; ask for a new one."},
	"auth.code_too_soon":                     {"验证码刚刚已发送，请先查收短信；如未收到，请稍后再重新获取", "A code was sent recently; wait before asking again."},
	"auth.code_wrong":                        {"验证码不正确，请核对短信中的验证码后重新输入", "The code is wrong."},
	"auth.invalid_token":                     {"登录凭证无效或已过期，请重新登录", "The token is invalid or expired; log in again."},
	"auth.locked_out":                        {"登录失败次数过多，已暂时锁定，请稍后再试", "Too many failed logins; try again later."},
	"auth.miniapp_code_invalid":              {"小程序登录凭证无效或已使用，请重新打开小程序登录", "The mini-program login code is invalid or used."},
	"auth.miniapp_not_configured":            {"本平台未开通小程序登录，请改用手机号验证码登录", "Mini-program login is not configured."},
	"auth.miniapp_unavailable":               {"小程序平台暂时没有响应，请稍后再试或改用手机号验证码登录", "The mini-program platform did not answer."},
	"auth.refresh_reused":                    {"该登录已在别处被使用，为保护账号已将其注销，请重新登录", "This login was used elsewhere and has been ended; log in again."},
	"auth.role_forbidden":                    {"您的岗位角色无权办理此事项，如需办理请联系有权限的工作人员", "Your role may not do this."},
	"auth.session_ended":                     {"本次登录已结束（已退出或被注销），请重新登录", "This login has ended; log in again."},
	"auth.sms_failed":                        {"短信发送失败，请稍后重新获取验证码", "The SMS could not be sent; try again later."},
	"auth.token_missing":                     {"请先登录后再操作", "Log in first: send Authorization: Bearer <access token>."},
	"case.bad_classification":                {"案件分类不正确，请在民事、治安、轻微刑事附带民事中选择", "Unknown classification."},
	"case.illegal_transition":                {"案件目前所处的阶段不能办理这一步，请刷新查看案件进度后再操作", "The case is not at a stage that allows this."},
	"case.record_not_approved":               {"调解记录尚未通过两级审批，暂不能结案；请先完成记录审批", "A case closes only when its mediation record has been approved at both levels."},
	"conflict.own_only":                      {"律师只能查询本人的利益冲突；为他人查询请由民警或督导办理", "A lawyer checks their own conflicts only."},
	"detainee.already_detained":              {"此人已在本所登记羁押，无需重复登记", "This person is already detained here."},
	"detainee.changed":                       {"在押人员信息刚被他人修改，请刷新后再操作", "It changed meanwhile; reload it and try again."},
	"detainee.not_detained":                  {"该人员已离所，不能再办理此事项", "The detainee has already left the centre."},
	"detainee.not_found":                     {"找不到该在押人员，请核对后重新选择", "No such detainee."},
	"detention_center.not_found":             {"找不到该拘留所，请核对后重新选择", "No such detention centre."},
	"duplicate":                              {"该内容已经存在，请勿重复提交", "It already exists."},
	"duty.lawyers_only":                      {"只有律师和调解员需要值班签到签退", "Only lawyers and mediators check in for duty."},
	"duty.not_checked_in":                    {"今天还没有签到，请先签到再签退", "Check in before checking out."},
	"dv_flag.not_found":                      {"找不到该家暴史标记，可能已被撤销", "No such flag."},
	"dv_flag.not_your_station":               {"您不在该派出所工作，不能为它的辖区登记家暴史", "That station is not one you serve."},
	"file.not_found":                         {"文件不存在或已被删除", "The file does not exist."},
	"follow_up.centre_only":                  {"回访任务只能由拘留所确认办结", "Only the detention centre signs off a follow-up."},
	"follow_up.changed":                      {"回访任务刚被他人更新，请刷新后再操作", "It changed meanwhile; reload it and try again."},
	"follow_up.illegal_transition":           {"回访任务目前所处的阶段不能办理这一步，请刷新查看最新进度", "The follow-up is not at a stage that allows this."},
	"follow_up.not_found":                    {"找不到该回访任务", "No such follow-up."},
	"follow_up.station_only":                 {"回访和评估只能由所属派出所登记", "Only the home station records visits and assessments."},
	"idempotency.key_reused":                 {"这个 Idempotency-Key 已用于另一内容不同的请求，新的请求请换一个新的键", "This Idempotency-Key was already used for a different request."},
	"inbox.no_user":                          {"请先登录后再查看消息", "Only a signed-in user has an inbox."},
	"joint_mediation.centre_only":            {"联调事项的决定只能由拘留所登记", "The detention centre records decisions."},
	"joint_mediation.changed":                {"联调事项刚被他人更新，请刷新后再操作", "It changed meanwhile; reload it and try again."},
	"joint_mediation.early_release_recorded": {"该联调事项已登记过提前解除，无需重复登记", "An early release is already recorded for this mediation."},
	"joint_mediation.illegal_transition":     {"联调事项目前所处的阶段不能办理这一步，请刷新查看最新进展", "The joint mediation is not at a stage that allows this."},
	"joint_mediation.not_found":              {"找不到该联调事项", "No such joint mediation."},
	"joint_mediation.supervisor_only":        {"提前解除须由上级领导审批，请提交给领导办理", "A supervisor approves an early release."},
	"lawyer.not_found":                       {"找不到该律师或调解员，请从名录中重新选择", "No such lawyer or mediator."},
	"not_found":                              {"找不到相应内容，可能已被删除，请刷新后查看", "Not found."},
	"org.not_found":                          {"找不到该单位，请核对后重新选择", "No such organisation."},
	"record.case_not_in_mediation":           {"案件开始调解后才能填写调解记录", "A record is written once mediation has started."},
	"record.changed":                         {"调解记录刚被他人修改，请刷新后再编辑", "The record was changed by someone else; reload it and try again."},
	"record.exists":                          {"该案件已有调解记录，请直接编辑已有记录", "This case already has a record."},
	"record.illegal_review":                  {"调解记录目前所处的审批阶段不能办理这一步，请刷新查看审批进度", "The record is not at a review stage that allows this."},
	"record.incomplete":                      {"调解记录至少要有一次调解经过和调解结果，补充完整后再提交审批", "A record needs at least one session and an outcome before review."},
	"record.lead_only":                       {"只有本案的主办人员可以填写调解记录", "Only the lead of a case writes its record."},
	"record.not_found":                       {"该案件还没有调解记录", "This case has no mediation record yet."},
	"judicial.not_approved":                  {"调解记录经两级审批通过、且达成调解协议后，才能申请司法确认", "Only an agreement whose record is approved at both levels can be sent for judicial confirmation."},
	"judicial.already_requested":             {"该调解协议已申请过司法确认", "This agreement was already sent for judicial confirmation."},
	"judicial.not_your_court":                {"只有受理该司法确认申请的法院才能录入裁定结果", "Only the court this agreement was sent to decides it."},
	"judicial.already_decided":               {"法院已对该司法确认申请作出裁定", "The court has already decided this confirmation."},
	"judicial.not_requested":                 {"该调解协议尚未申请司法确认", "This agreement was not sent for judicial confirmation."},
	"judicial.changed":                       {"司法确认信息已被他人修改，请刷新后重试", "The confirmation was changed by someone else; reload it and try again."},
	"firm.not_yours":                         {"您只能查看本律所的人员、案件与考核数据", "You see the figures of your own law firm only."},
	"user.no_firm":                           {"只有所属律所的律师才能担任律所主任，请先为该账号设置所属律所", "Only a lawyer of a law firm can head it."},
	"record.not_your_review":                 {"这份调解记录在当前审批阶段不由您审批（填写人不能审批自己的记录），请交由相应审批人办理", "You may not review this record at its current stage."},
	"recording.not_found":                    {"找不到该录像，可能已超过保存期限", "No such recording."},
	"request.already_rated":                  {"您已经评价过此案件，每个案件只能评价一次", "This case has already been rated."},
	"request.not_family":                     {"只有登记在册的家属可以代被拘留人申请调解；如需登记，请联系拘留所", "Only registered family may apply for mediation on this person's behalf; ask the detention centre to register you."},
	"request.changed":                        {"该申请刚被他人更新，请刷新后再操作", "The request was changed by someone else; reload it and try again."},
	"request.citizens_only":                  {"只有群众可以提交调解或咨询申请", "Only citizens file requests."},
	"request.not_closed":                     {"案件办结后才能评价，请在办结后再来评价", "A case can be rated once it is closed."},
	"request.not_found":                      {"找不到该申请，请核对后重新打开", "No such request."},
	"request.not_yours":                      {"您无权对这件申请办理此事项", "You may not do this to this request."},
	"request.origin_forbidden":               {"该网页来源不能连接视频调解，请从本平台的页面进入", "This origin may not open the signalling socket."},
	"request.websocket_required":             {"此地址只接受 WebSocket 连接", "This endpoint accepts WebSocket connections only."},
	"resource.not_found":                     {"地址中的编号不正确，请核对后重试", "No such resource."},
	"retry":                                  {"有人同时修改了同一内容，请再提交一次", "A concurrent change got there first; try again."},
	"room.case_not_in_mediation":             {"案件进入调解阶段后才能开设视频调解室", "A video room is opened for a case being mediated."},
	"room.closed":                            {"本次调解的预定时间已过，如需继续请重新预约", "This mediation session's time is over."},
	"room.ended":                             {"本次视频调解已结束", "This mediation session has ended."},
	"room.full":                              {"本次视频调解人数已满", "This session is full."},
	"room.not_found":                         {"找不到该视频调解室，请核对邀请信息", "No such room."},
	"room.not_invited":                       {"您不在本次视频调解的邀请名单中，请联系主持人邀请", "You are not invited to this session."},
	"room.not_open":                          {"本次视频调解还没有开始，请在预定时间再进入", "This mediation session has not started yet."},
	"room.outside_window":                    {"视频调解室现在不开放，请在预定时间内进入", "The room is not open now."},
	"room.not_yet_open":                      {"视频调解还没有开始，请在开始时间后再进入", "The room is not open yet."},
	"room.removed":                           {"您已被主持人请出本次视频调解", "You were removed from this session."},
	"room.shutting_down":                     {"服务器正在重启，请稍后重新进入", "The server is restarting; try again shortly."},
	"room.token_invalid":                     {"入会凭证无效或已过期，请重新获取后进入", "The room token is invalid or expired; ask for a new one."},
	"room.token_invalid_grant":               {"入会凭证缺少房间、参与人或角色，请重新获取", "A room token needs a room, a participant and a role."},
	"routing.no_lawyer_available":            {"本所目前没有在班且有空的律师或调解员，请指定一位律师，或由民警人工指派", "No lawyer or mediator is on duty and free at this station."},
	"routing.no_officer_available":           {"本所目前没有空闲的民警，请由上级人工指派", "No police officer of this station is free."},
	"rtc.check_busy":                         {"同时进行的网络检测太多，请稍后再试", "Too many connection checks at once; try again shortly."},
	"rtc.room_elsewhere":                     {"该调解室由另一台服务器承载，请按入会凭证中的 signal_url 连接", "This room is hosted by another server; connect to the signal_url of the join token."},
	"rtc.unavailable":                        {"本服务器未开通视频调解", "Video mediation is not available on this server."},
	"search.staff_only":                      {"只有工作人员可以检索申请和案件", "Only staff search requests."},
	"search.too_many_rows":                   {"符合条件的申请超过5000件，请缩小检索条件（如日期范围或派出所）后再导出", "More than 5000 requests match; narrow the search before exporting."},
	"station.not_found":                      {"找不到该派出所，请重新选择", "No such station."},
	"storage.full":                           {"文件存储空间已满，暂时不能上传，请稍后再试并告知管理员", "File storage is full; try again later."},
	"stream.not_staff":                       {"只有工作人员可以接收工单推送", "Only staff receive the work-order stream."},
	"stream.unavailable":                     {"本服务器未开通工单实时推送，请刷新工单列表查看", "The work-order stream is not available on this server."},
	"tag.not_found":                          {"该案件没有这个标签，请刷新后再操作", "The case has no such tag."},
	"tag.not_your_station":                   {"您不在该派出所工作，不能查看它的标签词表", "That station is not one you serve."},
	"tag.staff_only":                         {"只有办理案件的工作人员可以添加或删除标签", "Only staff working the case tag it."},
	"tag.too_many":                           {"一个案件最多20个标签，请先删除不用的标签", "A case has at most 20 tags."},
	"tag_vocabulary.exists":                  {"该单位的标签词表中已有这个标签", "The organisation already suggests that tag."},
	"tag_vocabulary.not_found":               {"找不到该推荐标签，可能已被删除", "No such suggested tag."},
	"tag_vocabulary.not_yours":               {"只有本派出所民警或本分局督导、管理员可以维护标签词表", "Only the station's police or the district's supervisors keep its suggested tags."},
	"unit.not_found":                         {"找不到该单位，请重新选择", "No such unit."},
	"user.citizen_roles":                     {"群众账号不能设置工作人员角色", "A citizen account has no staff roles."},
	"user.not_found":                         {"找不到该账号", "No such account."},
	"visit.blocked_date_not_found":           {"这一天没有被停止会见，无需解除", "This day is not blocked."},
	"visit.not_centre_staff":                 {"只有本拘留所的工作人员可以办理", "Only the staff of this detention centre may do this."},
	"visit_booking.booker_only":              {"只有预约的家属本人可以改约", "Only the family member who booked can reschedule."},
	"visit_booking.changed":                  {"会见预约刚被他人更新，请刷新后再操作", "The booking changed meanwhile; reload it and try again."},
	"visit_booking.detainee_left":            {"该人员已不在本所，不能预约会见", "This person is no longer held at the centre."},
	"visit_booking.duplicate":                {"该人员在这个时间已有会见预约，请选择其他时间", "This person already has a visit booked at this time."},
	"visit_booking.family_only":              {"只有家属可以预约会见", "Only family members book visits."},
	"visit_booking.illegal_transition":       {"该会见预约目前的状态不能办理这一步，请刷新查看预约状态", "The booking is not in a state that allows this."},
	"visit_booking.not_family":               {"您不是该人员登记在册的家属，不能为其预约会见或申请调解；请先到拘留所登记亲属关系", "Only registered family may book visits to this person."},
	"visit_booking.not_found":                {"找不到该会见预约", "No such visit booking."},
	"visit_booking.not_started":              {"会见开始后才能登记到场情况", "Attendance is recorded once the visit has begun."},
	"visit_booking.slot_full":                {"该会见时段已约满，请选择其他时段", "This visiting time is fully booked."},
	"visit_booking.started":                  {"该会见时段已开始或已过去，不能再更改", "This visiting time has begun or passed."},
	"visit_booking.suspended":                {"因多次预约未到，您在本所的会见预约已被暂停，请在暂停期满后再预约", "Booking at this centre is suspended after repeated no-shows."},
	"visit_booking.too_late":                 {"已过改约或取消的截止时间，如有特殊情况请直接联系拘留所", "Bookings can no longer be changed or cancelled this close to the visit."},
	"visit_booking.unknown_action":           {"不支持这种预约操作", "Unknown action."},
	"visit_hold.not_found":                   {"找不到该时段的保留，可能已过期，请重新选择时段", "No such hold."},
	"visit_slot.closed":                      {"该会见时段已不再开放，请选择其他时段", "This visiting time is no longer offered."},
	"visit_slot.not_found":                   {"找不到该会见时段，请重新选择", "No such visiting time."},
	"warning.changed":                        {"预警刚被他人更新，请刷新后再处理", "The warning was changed by someone else; reload it and try again."},
	"warning.illegal_transition":             {"该预警目前的状态不能办理这一步，请刷新查看处理进度", "The warning is not in a state that allows this."},
	"warning.not_found":                      {"找不到该预警", "No such warning."},
	"warning_rule.changed":                   {"预警规则刚被他人修改，请刷新后再编辑", "The rule was changed by someone else; reload it and try again."},
	"warning_rule.not_found":                 {"找不到该预警规则", "No such rule."},
	"webhook.bad_signature":                  {"推送签名格式不正确，应为 sha256=<十六进制>", "The webhook signature is not sha256=<hex>."},
	"webhook.bad_timestamp":                  {"推送时间戳不是秒数", "The webhook timestamp is not a number of seconds."},
	"webhook.stale":                          {"推送时间戳与当前时间相差太大，请检查发送方的时钟", "The webhook timestamp is too far from now."},
	"work_order.addressed":                   {"该工单已指定给其他人办理，您不能处理", "This work order is addressed to someone else."},
	"work_order.cancel_forbidden":            {"只有上级或认领人可以撤销工单", "Only a supervisor or the claimer can cancel a work order."},
	"work_order.changed":                     {"工单刚被他人更新，请刷新后再操作", "The work order changed meanwhile; reload it and try again."},
	"work_order.not_found":                   {"找不到该工单", "No such work order."},
	"work_order.not_yours":                   {"只有认领该工单的人可以办结", "Only the person who claimed this work order can complete it."},
	"work_order.reassign_forbidden":          {"只有上级或认领人可以转派工单", "Only a supervisor or the claimer can reassign a work order."},
	"work_order.role":                        {"您的岗位不承接这类工单", "Your role does not take this kind of work order."},
	"work_order.state":                       {"工单目前的状态不能办理这一步，请刷新查看工单状态", "The work order is not in a state that allows this."},
	"work_order.taken":                       {"该工单已被他人认领，请处理其他工单", "Someone else has taken this work order."},
	"work_order.unknown_action":              {"不支持这种工单操作", "Unknown action."},
	// Security hardening (issue 16).
	"request.unsupported_encoding": {"不支持压缩的请求体，请发送未压缩的内容", "Compressed request bodies are not accepted; send the body uncompressed."},
}

// kindTexts are the fallbacks for domain errors without a catalogued code.
var kindTexts = map[domain.Kind]text{
	domain.KindInvalid:            {"提交的内容有误", "The input is invalid."},
	domain.KindUnauthenticated:    {"请先登录", "Authentication is required."},
	domain.KindForbidden:          {"没有权限执行此操作", "You are not allowed to do this."},
	domain.KindNotFound:           {"未找到相应内容", "Not found."},
	domain.KindConflict:           {"操作冲突，请刷新后重试", "Conflict; reload and try again."},
	domain.KindFailedPrecondition: {"当前状态不允许此操作", "Not allowed in the current state."},
	domain.KindRateLimited:        {"请求过于频繁，请稍后再试", "Too many requests; slow down."},
	domain.KindUnavailable:        {"服务暂时不可用，请稍后重试", "The service is temporarily unavailable."},
	domain.KindInternal:           {"服务器内部错误，请稍后重试", "Internal error; please try again later."},
}

var fieldTexts = map[string]text{
	domain.FieldRequired:     {"必填", "is required"},
	domain.FieldInvalid:      {"格式不正确", "has an invalid format"},
	domain.FieldTooLong:      {"过长", "is too long"},
	domain.FieldTooShort:     {"过短", "is too short"},
	domain.FieldOutOfRange:   {"超出允许范围", "is out of range"},
	domain.FieldUnknown:      {"不是可接受的字段", "is not an accepted field"},
	domain.FieldNotAllowed:   {"不允许设置", "may not be set"},
	domain.FieldWrongType:    {"类型不正确", "has the wrong type"},
	domain.FieldUnsupported:  {"不支持的取值", "has an unsupported value"},
	domain.FieldDoesNotExist: {"引用的对象不存在", "refers to something that does not exist"},
}

// retryHint tells a person in Chinese how long to wait, which the Retry-After
// header tells only programs. (The English messages already say to wait.)
func retryHint(d time.Duration, l language) string {
	if l == english {
		return ""
	}
	return "（约 " + retryAfterSeconds(d) + " 秒后可再试）"
}

// startsHint says when something opens, in Beijing time as the server
// keeps it (loc).
func startsHint(at time.Time, l language) string {
	if l == english {
		return " It opens at " + at.Format("2006-01-02 15:04 MST") + "."
	}
	return "（开始时间：" + at.Format("2006年1月2日 15:04") + "）"
}

func (t text) in(l language) string {
	if l == english {
		return t.en
	}
	return t.zh
}

// message picks the words for an error code; englishDefault is the domain's
// own English message, used when the code is not catalogued.
func message(code string, kind domain.Kind, englishDefault string, l language) string {
	if l == english && kind != "" && englishDefault != "" {
		return englishDefault
	}
	if t, ok := messages[code]; ok {
		return t.in(l)
	}
	if l == english && englishDefault != "" {
		return englishDefault
	}
	if t, ok := kindTexts[kind]; ok {
		return t.in(l)
	}
	return messages["request.malformed"].in(l)
}

func fieldMessage(f domain.FieldError, l language) string {
	if l == english && f.Message != "" {
		return f.Message
	}
	if t, ok := fieldTexts[f.Code]; ok {
		return t.in(l)
	}
	return fieldTexts[domain.FieldInvalid].in(l)
}
