-- The one-time key of the form that sent a campaign: a second post of the same form (a double
-- click, the browser's back and resend) finds the campaign already sent instead of sending
-- every message twice. NULL for campaigns sent without a form (the demo).
ALTER TABLE el_campaign ADD COLUMN submission BLOB;
CREATE UNIQUE INDEX el_campaign_submission ON el_campaign (tenant_id, election_id, submission);
