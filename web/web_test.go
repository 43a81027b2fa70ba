package web

import (
	"io/fs"
	"strings"
	"testing"
)

func TestThePageIsEmbedded(t *testing.T) {
	for _, name := range []string{"index.html", "app.js", "style.css"} {
		b, err := fs.ReadFile(Mediation(), name)
		if err != nil || len(b) == 0 {
			t.Fatalf("%s is not embedded: %v", name, err)
		}
	}
	page, _ := fs.ReadFile(Mediation(), "index.html")
	if !strings.Contains(string(page), "远程视频调解") || !strings.Contains(string(page), `src="/app/mediation/app.js"`) {
		t.Fatal("index.html should be the Chinese mediation page loading app.js")
	}
	js, _ := fs.ReadFile(Mediation(), "app.js")
	for _, hook := range []string{"window.tiaojie", "framesDecoded", "inbound-rtp", `"/signal"`, "join-token"} {
		if !strings.Contains(string(js), hook) {
			t.Errorf("app.js lacks %s", hook)
		}
	}
}
