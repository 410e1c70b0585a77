-- Notifications that modules own (ADR 0019).
--
-- 1. The platform host sends too: a platform-level message has no municipality and is stored
--    with the nil tenant, like the platform's own audit chain. The outbox loses its foreign key
--    to tenant (the nil tenant is no municipality). The row-level security policy of 0001 stays
--    as it is: a row with the nil tenant is visible only where radhus.tenant_id is the nil
--    UUID (Scope::Platform) or '*' (Scope::System), never to a municipality's transaction.
-- 2. The platform's templates are registered under keys prefixed with their module's name;
--    the municipalities' overrides follow.
-- 3. Staff users and operators get the language their mail goes out in (the one they last
--    logged in with).

-- The updates below must see every municipality's rows (FORCE ROW LEVEL SECURITY).
SELECT set_config('radhus.tenant_id', '*', true);

ALTER TABLE outbox DROP CONSTRAINT outbox_tenant_id_fkey;

UPDATE notification_template SET template_key = 'platform.' || template_key
 WHERE template_key IN ('account-created', 'account-locked', 'password-changed');

ALTER TABLE app_user ADD COLUMN lang TEXT NOT NULL DEFAULT 'sv' CHECK (lang IN ('sv', 'en'));
ALTER TABLE operator ADD COLUMN lang TEXT NOT NULL DEFAULT 'sv' CHECK (lang IN ('sv', 'en'));
