package api

import "github.com/tiaojie/tiaojie/domain"

// text is one message in both languages.
type text struct{ zh, en string }

// messages translates stable error codes into words for people. A domain
// error whose code is missing here falls back to its kind's text in Chinese
// and its own English message (TestEveryErrorCodeHasBothLanguages keeps the
// list complete).
var messages = map[string]text{
	"internal":                       {"服务器内部错误，请稍后重试", "Internal error; please try again later."},
	"validation.failed":              {"提交的内容有误，请检查标出的字段", "Some fields are invalid; see errors."},
	"request.malformed":              {"请求格式错误", "The request is malformed."},
	"request.malformed_json":         {"请求体不是有效的 JSON", "The request body is not valid JSON."},
	"request.empty_body":             {"请求体不能为空", "The request body is empty."},
	"request.too_large":              {"请求内容过大", "The request body is too large."},
	"request.unsupported_media_type": {"不支持的内容类型，请使用 application/json", "Unsupported content type; send application/json."},
	"request.timeout":                {"请求超时", "The request timed out."},
	"request.headers_too_large":      {"请求头过大", "The request headers are too large."},
	"request.rate_limited":           {"请求过于频繁，请稍后再试", "Too many requests; slow down."},
	"route.not_found":                {"请求的地址不存在", "No such endpoint."},
	"route.method_not_allowed":       {"该地址不支持此请求方法", "This endpoint does not accept that method."},
	"service.unavailable":            {"服务暂时不可用，请稍后重试", "The service is temporarily unavailable."},
	"service.not_ready":              {"服务尚未就绪", "The service is not ready."},

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

func (t text) in(l language) string {
	if l == english {
		return t.en
	}
	return t.zh
}

// message picks the words for an error code; englishDefault is the domain's
// own English message, used when the code is not catalogued.
func message(code string, kind domain.Kind, englishDefault string, l language) string {
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
