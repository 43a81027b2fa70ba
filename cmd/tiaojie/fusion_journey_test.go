package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// The fusion pages of the staff console in Chromium against the real server
// with the demo data: 双凤桥司法所's officer reads the register (masked ID
// numbers), records a visit in a person's file, and closes a monthly
// meeting's action item. Screenshots: web/console/journeys/screenshots/fusion-*.
func TestFusionConsoleJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	browser := chromium(t)
	node, webDir := consoleTools(t)
	logs := &lockedBuffer{}
	a, base := startApp(t, testConfig(t, nil), logs)
	defer func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	}()
	justice1, _ := staffLogin(t, a, "justice1")
	area := fusionAreaID(t, a, justice1, DemoFusionArea1)
	now := time.Now().In(a.cfg.HTTP.Location)
	plan := do(t, a, "POST", "/api/v1/fusion/meetings", justice1, map[string]any{"level": "area", "area_id": area, "period": now.Format("2006-01"),
		"scheduled_at": now.Format(time.RFC3339)})
	expect(t, plan, 201, "")
	// The journey writes the minutes and adds the action item, picking people by name.

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(webDir, "console", "journeys", "fusion.mjs"))
	cmd.Dir = webDir
	cmd.Env = append(os.Environ(), "BASE="+base, "CHROMIUM="+browser, "SHOTS="+filepath.Join(webDir, "console", "journeys", "screenshots"), "PASSWORD="+DemoPassword)
	out, err := cmd.CombinedOutput()
	t.Logf("journey:\n%s", out)
	if err != nil {
		t.Fatalf("the fusion console journey failed: %v (screenshots in web/console/journeys/screenshots)", err)
	}
}
