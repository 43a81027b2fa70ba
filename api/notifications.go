package api

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/inbox"
)

// notificationDTO is one notice in the caller's inbox (站内消息).
type notificationDTO struct {
	ID           int64      `json:"id"`
	Kind         string     `json:"kind"`
	Title        string     `json:"title"`
	Body         string     `json:"body"`
	ResourceType string     `json:"resource_type"`
	ResourceID   int64      `json:"resource_id"`
	Link         string     `json:"link,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	ReadAt       *time.Time `json:"read_at"`
}

func toNotificationDTO(n *inbox.Notification, loc *time.Location) notificationDTO {
	d := notificationDTO{ID: n.ID, Kind: n.Kind, Title: n.Title, Body: n.Body, ResourceType: n.ResourceType, ResourceID: n.ResourceID,
		Link: n.Link, CreatedAt: n.CreatedAt.In(loc)}
	if n.ReadAt != nil {
		at := n.ReadAt.In(loc)
		d.ReadAt = &at
	}
	return d
}

// notificationQuery reads ?unread=, ?before= and ?limit= (the inbox pages by
// notification ID: before is the last ID of the previous page).
func notificationQuery(c *fiber.Ctx) (unreadOnly bool, before int64, limit int, err error) {
	var p domain.Problems
	if v := c.Query("unread"); v != "" {
		b, convErr := strconv.ParseBool(v)
		if convErr != nil {
			p.Add("unread", domain.FieldInvalid, "is true or false")
		}
		unreadOnly = b
	}
	if v := c.Query("before"); v != "" {
		n, convErr := strconv.ParseInt(v, 10, 64)
		if convErr != nil || n < 1 {
			p.Add("before", domain.FieldInvalid, "is a notification ID")
		}
		before = n
	}
	if v := c.Query("limit"); v != "" {
		n, convErr := strconv.Atoi(v)
		if convErr != nil || n < 1 || n > inbox.MaxPageSize {
			p.Add("limit", domain.FieldOutOfRange, "must be 1 to 100")
		}
		limit = n
	}
	return unreadOnly, before, limit, p.Err()
}

func (s *Server) listNotifications(c *fiber.Ctx) error {
	unreadOnly, before, limit, err := notificationQuery(c)
	if err != nil {
		return err
	}
	items, unread, err := s.inbox.List(c.UserContext(), s.actor(c), unreadOnly, before, limit)
	if err != nil {
		return err
	}
	out := make([]notificationDTO, len(items))
	for i := range items {
		out[i] = toNotificationDTO(&items[i], s.loc)
	}
	return c.JSON(fiber.Map{"items": out, "unread": unread})
}

// markNotificationsRead marks the named notices read, or all of them when
// the body names none ({}).
func (s *Server) markNotificationsRead(c *fiber.Ctx) error {
	var body struct {
		IDs []int64 `json:"ids"`
	}
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	marked, err := s.inbox.MarkRead(c.UserContext(), s.actor(c), body.IDs)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"marked": marked})
}
