// Package jointmeeting is the joint analysis meeting (会商研判) of
// police–justice fusion: each area's three offices (派出所、司法所、法律服务所)
// meet monthly on an agenda prepared from the month's disputes, the open
// warnings and the special-population changes of the area, and write
// minutes, attendees and decisions; action items become work orders with
// deadlines, followed to closure either way (closing the item ends its
// order, completing the order closes the item). The district's quarterly
// joint meeting (联席会) works the same way one level up. The weekly liaison
// exchange (联络员每周交换) is a digest put in the three liaisons' inboxes.
package jointmeeting
