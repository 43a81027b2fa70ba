package realtime

import (
	"errors"
	"strings"
	"testing"
)

const answerSDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\n"

func TestDecodeSignal(t *testing.T) {
	ok := []struct{ name, msg, typ string }{
		{"a join with a token", `{"v":1,"type":"join","data":{"token":"abc"}}`, TypeJoin},
		{"an answer that parses", `{"v":1,"type":"answer","data":{"sdp":` + quote(answerSDP) + `,"seq":1}}`, TypeAnswer},
		{"a host candidate", `{"v":1,"type":"candidate","data":{"candidate":"candidate:1 1 udp 2130706431 192.0.2.1 50000 typ host","sdpMid":"0","sdpMLineIndex":0}}`, TypeCandidate},
		{"the end of candidates", `{"v":1,"type":"candidate","data":{"candidate":""}}`, TypeCandidate},
		{"a self mute", `{"v":1,"type":"mute","data":{"kind":"audio","muted":true}}`, TypeMute},
		{"an admit", `{"v":1,"type":"admit","data":{"participant":"family-1"}}`, TypeAdmit},
		{"an end without data", `{"v":1,"type":"end"}`, TypeEnd},
		{"a ping with empty data", `{"v":1,"type":"ping","data":{}}`, TypePing},
	}
	for _, tc := range ok {
		t.Run(tc.name, func(t *testing.T) {
			s, err := DecodeSignal([]byte(tc.msg))
			if err != nil || s.Type != tc.typ {
				t.Fatalf("want %s, got %+v, %v", tc.typ, s, err)
			}
		})
	}
	bad := []struct{ name, msg, code string }{
		{"not JSON", `hello`, "message.malformed"},
		{"an unknown envelope field", `{"v":1,"type":"ping","x":1}`, "message.malformed"},
		{"trailing data", `{"v":1,"type":"ping"}{}`, "message.malformed"},
		{"another version", `{"v":2,"type":"ping"}`, "message.version"},
		{"an unknown type", `{"v":1,"type":"offer","data":{"sdp":"x"}}`, "message.unknown_type"},
		{"a join without token", `{"v":1,"type":"join","data":{}}`, "message.invalid"},
		{"an answer that is not SDP", `{"v":1,"type":"answer","data":{"sdp":"hello","seq":1}}`, "sdp.invalid"},
		{"an answer without media", `{"v":1,"type":"answer","data":{"sdp":"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n","seq":1}}`, "sdp.invalid"},
		{"an answer without mid", `{"v":1,"type":"answer","data":{"sdp":` + quote(strings.Replace(answerSDP, "a=mid:0\r\n", "", 1)) + `}}`, "sdp.invalid"},
		{"a candidate that does not parse", `{"v":1,"type":"candidate","data":{"candidate":"candidate:garbage"}}`, "candidate.invalid"},
		{"a candidate index out of range", `{"v":1,"type":"candidate","data":{"candidate":"","sdpMLineIndex":900}}`, "candidate.invalid"},
		{"a mute of an unknown kind", `{"v":1,"type":"mute","data":{"kind":"screen","muted":true}}`, "message.invalid"},
		{"a kick of a bad id", `{"v":1,"type":"kick","data":{"participant":"../etc"}}`, "message.invalid"},
		{"data for end", `{"v":1,"type":"end","data":{"now":true}}`, "message.invalid"},
		{"a message over the cap", `{"v":1,"type":"join","data":{"token":"` + strings.Repeat("a", MaxMessageBytes) + `"}}`, "message.too_large"},
		{"invalid UTF-8", "{\"v\":1,\"type\":\"\xff\"}", "message.malformed"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeSignal([]byte(tc.msg))
			var pe *ProtocolError
			if !errors.As(err, &pe) || pe.Code != tc.code {
				t.Fatalf("want %s, got %v", tc.code, err)
			}
		})
	}
}

func quote(s string) string {
	return `"` + strings.NewReplacer("\r", `\r`, "\n", `\n`, `"`, `\"`).Replace(s) + `"`
}

func FuzzDecodeSignal(f *testing.F) {
	f.Add([]byte(`{"v":1,"type":"join","data":{"token":"abc"}}`))
	f.Add([]byte(`{"v":1,"type":"answer","data":{"sdp":` + quote(answerSDP) + `,"seq":1}}`))
	f.Add([]byte(`{"v":1,"type":"candidate","data":{"candidate":"candidate:1 1 udp 2130706431 192.0.2.1 50000 typ host","sdpMid":"0"}}`))
	f.Add([]byte(`{"v":1,"type":"mute","data":{"participant":"a","kind":"video","muted":false}}`))
	f.Add([]byte(`{"v":1,"type":"kick","data":{"participant":"family-1"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeSignal(b)
		if err != nil {
			var pe *ProtocolError
			if !errors.As(err, &pe) || pe.Code == "" {
				t.Fatalf("every refusal is a ProtocolError with a code, got %v", err)
			}
			return
		}
		// What is accepted is complete for its type.
		switch s.Type {
		case TypeJoin:
			if s.Join == nil || s.Join.Token == "" {
				t.Fatal("join without token accepted")
			}
		case TypeAnswer:
			if s.Answer == nil || validateSDP(s.Answer.SDP) != nil {
				t.Fatal("answer accepted without a valid SDP")
			}
		case TypeAdmit, TypeDeny, TypeKick:
			if s.Target == nil || !validID(s.Target.Participant) {
				t.Fatal("target accepted without a valid id")
			}
		case TypeMute:
			if s.Mute == nil || (s.Mute.Kind != "audio" && s.Mute.Kind != "video") {
				t.Fatal("mute accepted with a bad kind")
			}
		case TypeCandidate:
			if s.Candidate == nil {
				t.Fatal("candidate accepted without data")
			}
		case TypeEnd, TypeICERestart, TypeLeave, TypePing:
		default:
			t.Fatalf("unknown type %q accepted", s.Type)
		}
	})
}
