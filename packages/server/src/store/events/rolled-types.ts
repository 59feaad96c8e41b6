/** The event types the visit rollups count (`visit_hours` on either engine), as a SQL list. */
export const rolledTypes = "('load', 'click', 'focus', 'submit', 'change', 'track')";
