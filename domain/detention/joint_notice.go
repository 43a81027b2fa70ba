package detention

import (
	"context"
	"strconv"
)

// NoticeJointDecided tells a detainee's registered family how a joint
// mediation ended (联调联处: 结果反馈), with the way to rate it.
const NoticeJointDecided = "joint_decided"

// FamilyJointsLink is where the family finds, and rates, the joint
// mediations of their detainee in the citizen app.
const FamilyJointsLink = "/h5/family/joints"

// JointNotices puts a notice about a joint mediation, with a link into the
// citizen app, in a user's inbox in the transaction ctx carries; a repeated
// dedupe key adds nothing.
type JointNotices interface {
	NotifyJoint(ctx context.Context, userID int64, kind, title, body string, jointID int64, dedupeKey, link string) error
}

// tellFamily tells each registered family member of the detainee that the
// joint mediation was decided, and how.
func (s *Custody) tellFamily(ctx context.Context, j *JointMediation, outcome string) error {
	if s.Notices == nil {
		return nil
	}
	family, err := s.Detainees.Family(ctx, j.DetaineeID)
	if err != nil {
		return err
	}
	title := "联合调解已结束：调解成功"
	if outcome != OutcomeAgreed {
		title = "联合调解已结束：未达成协议"
	}
	line, _ := s.businessLine(j.BusinessLine)
	body := "您家属的联合调解（" + line.Name + "）已有结果，可在“家属服务 › 联合调解”查看，并对本次服务进行评价。"
	for _, l := range family {
		key := "joint_decided:" + strconv.FormatInt(j.ID, 10) + ":" + strconv.FormatInt(l.UserID, 10)
		if err := s.Notices.NotifyJoint(ctx, l.UserID, NoticeJointDecided, title, body, j.ID, key, FamilyJointsLink); err != nil {
			return err
		}
	}
	return nil
}
