-- A lawyer or mediator a citizen chose may open the request before routing
-- staffs it (and sees it in their list): the list looks the person up as
-- lead, assistant or chosen, each by its own index.
CREATE INDEX idx_requests_chosen_status ON requests (chosen_id, status);
