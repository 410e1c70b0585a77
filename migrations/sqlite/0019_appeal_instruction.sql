-- How to appeal (överklagandehänvisning, FL 33 §), issue 20 item 3: each case type has the
-- text attached to its decisions when they are dispatched to a party. Empty means the text
-- shipped with Rådhus. A case type whose decisions cannot be appealed says why in
-- appeal_exempt_reason (non-empty: no instruction is attached).
ALTER TABLE case_type ADD COLUMN appeal_instruction TEXT NOT NULL DEFAULT '';
ALTER TABLE case_type ADD COLUMN appeal_exempt_reason TEXT NOT NULL DEFAULT '';
