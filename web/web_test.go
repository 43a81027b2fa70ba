package web

import (
	"io/fs"
	"regexp"
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

// The console's index.html loads its script and styles from /console/assets/,
// and every file it names is embedded (a build made with another base, or a
// stale commit, would leave the page blank).
func TestTheConsoleIsEmbedded(t *testing.T) {
	page, err := fs.ReadFile(Console(), "index.html")
	if err != nil {
		t.Fatalf("console/dist/index.html is not embedded (run make web): %v", err)
	}
	refs := regexp.MustCompile(`(?:src|href)="/console/(assets/[^"]+)"`).FindAllStringSubmatch(string(page), -1)
	if len(refs) < 2 {
		t.Fatalf("index.html names %d assets under /console/assets/, want its script and style sheet:\n%s", len(refs), page)
	}
	for _, r := range refs {
		if b, err := fs.ReadFile(Console(), r[1]); err != nil || len(b) == 0 {
			t.Errorf("index.html names %s, which is not embedded: %v", r[1], err)
		}
	}
}

// The H5 app's index.html loads its script and styles from /h5/assets/, and
// every file it names is embedded. A checkout without a build holds only the
// placeholder, which names nothing.
func TestTheH5AppIsEmbedded(t *testing.T) {
	page, err := fs.ReadFile(H5(), "index.html")
	if err != nil {
		t.Fatalf("h5/dist/index.html is not embedded: %v", err)
	}
	if strings.Contains(string(page), "h5-placeholder") {
		t.Skip("web/h5/dist holds the placeholder; run make web")
	}
	refs := regexp.MustCompile(`(?:src|href)="/h5/(assets/[^"]+)"`).FindAllStringSubmatch(string(page), -1)
	if len(refs) < 2 {
		t.Fatalf("index.html names %d assets under /h5/assets/, want its script and style sheet:\n%s", len(refs), page)
	}
	for _, r := range refs {
		if b, err := fs.ReadFile(H5(), r[1]); err != nil || len(b) == 0 {
			t.Errorf("index.html names %s, which is not embedded: %v", r[1], err)
		}
	}
}
