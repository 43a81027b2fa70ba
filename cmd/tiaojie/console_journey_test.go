package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// consoleTools finds node and the console's node_modules (make web installs
// them); in CI their absence is a failure, elsewhere the journeys are skipped.
func consoleTools(t *testing.T) (node, webDir string) {
	t.Helper()
	webDir, _ = filepath.Abs(filepath.Join("..", "..", "web"))
	node, err := exec.LookPath("node")
	if err == nil {
		if _, err = os.Stat(filepath.Join(webDir, "node_modules", "playwright-core")); err == nil {
			return node, webDir
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("the console journeys need node and web/node_modules (make web): %v", err)
	}
	t.Skipf("node or web/node_modules missing (run make web): %v", err)
	return "", ""
}

// The staff console's journeys, in Chromium against the real server with the
// demo data: a request filed by the demo citizen arrives live on the police
// officer's 工作台; the officer screens it on the case page; the assignment
// arrives live on the lawyer's console; the lawyer starts mediation, writes
// and submits the record; police and supervisor approve it; the case is
// agreed and closed. A tag goes on the case, and the case list finds it by
// party and tag and exports the same filters as CSV; a supervisor runs the
// monthly assessment and overrides a grade; a firm's head sees the firm; the
// agreement goes to the court, whose clerk records the ruling, and the
// return visit is recorded. An expired session returns to the login page and back.
// Screenshots go to web/console/journeys/screenshots/.
func TestConsoleJourneys(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	browser := chromium(t)
	node, webDir := consoleTools(t)
	logs := &lockedBuffer{}
	a, base := startApp(t, testConfig(t, map[string]string{"TIAOJIE_DUTY_HOURS": "00:00-24:00"}), logs)
	defer func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	}()
	box := &smsBox{codes: map[string]string{}}
	a.svc.accounts.SMS = box
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)

	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(webDir, "console", "journeys", "run.mjs"))
	cmd.Dir = webDir
	cmd.Env = append(os.Environ(),
		"BASE="+base,
		"CHROMIUM="+browser,
		"SHOTS="+filepath.Join(webDir, "console", "journeys", "screenshots"),
		"CITIZEN_TOKEN="+citizen,
		"STATION_ID="+strconv.FormatInt(stationID(t, a, "双凤桥派出所"), 10),
		"LAWYER_ID="+strconv.FormatInt(demoUser(t, a, "lawyer").ID, 10),
		"PASSWORD="+DemoPassword,
	)
	out, err := cmd.CombinedOutput()
	t.Logf("journeys:\n%s", out)
	if err != nil {
		t.Fatalf("a console journey failed: %v (screenshots in web/console/journeys/screenshots)", err)
	}
}
