// Package detention is detention-centre mediation (拘调融合): detainee
// intake and profiles with risk labels, family visit booking, joint
// mediation with partner units, and the follow-up after release that ends a
// case (结案销号). See seed 002 and capability 5 of the spec.
package detention
