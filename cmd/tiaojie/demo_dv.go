package main

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain/warning"
)

// DemoDVHousehold is the demo household flagged with a domestic-violence
// history (the seed's 案例三): a filing from this address raises the red
// dv_household warning at its second visit within 60 days.
const DemoDVHousehold = "双凤桥街道碧津社区3栋2单元"

func seedDVFlags(ctx context.Context, svc *services, station int64, now time.Time) error {
	return svc.warnings.DVFlags.CreateDVFlag(ctx, &warning.DVFlag{Kind: warning.DVHousehold, Key: warning.HouseholdKey(DemoDVHousehold),
		Address: DemoDVHousehold, StationID: station, Note: "丈夫曾因家庭暴力被出具告诫书（演示数据）", FlaggedAt: now})
}
