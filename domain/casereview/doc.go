// Package casereview is case review and learning (调解案例点评学习, seed
// 000): supervisors pick concluded cases as examples, with a comment and a
// category; stationed lawyers, mediators and police read the library of
// reviewed cases of their district by category, with the parties' personal
// data masked; supervisors withdraw an example that no longer teaches.
package casereview
