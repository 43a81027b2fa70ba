// Package incident is legal workers on police incidents (深度介入接处警, the
// Taizhou Hailing 警法融合 programme): a police officer handling a dispute
// call records an incident and brings in a justice officer (司法所干警) or a
// legal-service worker (基层法律服务工作者), who receives it as a work order
// and records their part; the incident ends resolved on the spot, referred to
// a mediation case, or closed. For the civil part of public-security and
// minor criminal cases the compensation calculator (精确测算赔偿) itemises
// what is owed from a standards table by province and year, and the
// calculation with its inputs is kept on the incident.
package incident
