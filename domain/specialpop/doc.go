// Package specialpop is the special population register (特殊人群联控) of
// police–justice fusion (警法融合 所所共建, the Taizhou Hailing programme):
// people under community correction, released from prison, drug users,
// people with mental disorders at risk of causing trouble, and kinds an
// admin adds, shared by the police station, the justice office and the
// legal-service office of one town or street (an Area). Each person has a
// responsible officer, a social worker and a 法律管家, a risk level and a
// contact plan; visits and help are recorded (全程跟踪、个性帮教); a missed
// plan raises a warning and a make-up visit order, and holiday patrols
// (节假日重点巡查) are generated as work orders.
package specialpop
