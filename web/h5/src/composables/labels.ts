// Chinese names of what the server sends as codes.
export const eventLabels: Record<string, string> = {
  filed: '提交申请',
  screened: '民警已筛查受理',
  rejected: '不予受理',
  assigned: '已分派承办人',
  reassigned: '已更换承办人',
  started: '开始调解',
  agreed: '调解达成协议',
  failed: '调解未成',
  referred: '转入诉讼',
  closed: '已办结',
  followed_up: '已回访',
  withdrawn: '申请已撤回',
  rated: '已评价',
  record_saved: '调解记录已更新',
  record_submitted: '调解记录已提交审核',
  record_approved: '调解记录审核通过',
  record_returned: '调解记录退回修改',
  session_scheduled: '已安排视频调解',
  start: '开始调解',
  agree: '调解达成协议',
  fail: '调解未成',
  refer: '转入诉讼',
  close: '已办结',
  follow_up: '已回访',
  withdraw: '申请已撤回',
  attachment_added: '上传了材料',
  room_opened: '已开通视频调解室',
}

export const classificationLabels: Record<string, string> = {
  civil: '民事纠纷（律师主办）',
  public_security: '治安纠纷（民警主办）',
  minor_criminal_civil: '轻微刑事附带民事',
}

export const kindLabels: Record<string, string> = { mediation: '调解', consultation: '法律咨询', drafting: '代写文书' }

export const visitStatusLabels: Record<string, string> = {
  pending: '待审核',
  approved: '已通过',
  refused: '未通过',
  cancelled: '已取消',
  attended: '已会见',
  no_show: '未到场',
}

export function when(iso: string | null | undefined): string {
  if (!iso) return ''
  return new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false })
}
