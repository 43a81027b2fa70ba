package main

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain/mediation"
)

// demoTagVocabulary is the demo district's suggested tags (自选标签) and one
// station's own, so that the tag picker and search by tag have something to
// show. Cases are not tagged here: the demo district starts with no cases.
var demoTagVocabulary = struct{ district, station []string }{
	district: []string{"家暴史", "欠薪", "重复来访", "涉老年人", "涉未成年人"},
	station:  []string{"高空抛物", "物业噪音"},
}

func seedTagVocabulary(ctx context.Context, svc *services, district, station int64, now time.Time) error {
	add := func(org int64, names []string) error {
		for _, n := range names {
			if err := svc.mediation.Tags.AddVocabulary(ctx, &mediation.VocabularyTag{OrgID: org, Name: n, CreatedAt: now}); err != nil {
				return err
			}
		}
		return nil
	}
	if err := add(district, demoTagVocabulary.district); err != nil {
		return err
	}
	return add(station, demoTagVocabulary.station)
}
