-- Invoices are records a business must keep (docs/billing.md): a workspace or subscription deleted
-- outright (staff's hard delete) leaves its invoices, named by billed_to. One invoice per
-- subscription, kind and period (a final invoice may share its period's start with the renewal).
-- This was first written into V19 after V19 had landed; it belongs here, and V19 is as it landed.

-- Written to apply also to a database migrated with that edited V19 (after `flyway repair`): every
-- step is a no-op where its effect is already there.
alter table invoices add column if not exists billed_to text;
update invoices i set billed_to = w.name from workspaces w where w.id = i.workspace_id and i.billed_to is null;
update invoices set billed_to = 'Workspace ' || workspace_id where billed_to is null;
alter table invoices alter column billed_to set not null;

alter table invoices alter column workspace_id drop not null;
alter table invoices alter column subscription_id drop not null;
alter table invoices drop constraint if exists invoices_workspace_id_fkey;
alter table invoices drop constraint if exists invoices_subscription_id_fkey;
alter table invoices add constraint invoices_workspace_id_fkey
    foreign key (workspace_id) references workspaces (id) on delete set null;
alter table invoices add constraint invoices_subscription_id_fkey
    foreign key (subscription_id) references subscriptions (id) on delete set null;

alter table invoices drop constraint if exists invoices_once_per_period;
alter table invoices add constraint invoices_once_per_period unique (subscription_id, kind, period_start);

-- Only an invoice's status and payment date change once it is written (and its references fall to
-- null when what they name is deleted); its lines never change.
create or replace function invoices_immutable() returns trigger language plpgsql as $$
begin
    if (new.billed_to, new.number, new.kind, new.currency, new.period_start,
        new.period_end, new.subtotal, new.tax_country, new.tax_basis_points, new.tax, new.total, new.issued_at)
            is distinct from
       (old.billed_to, old.number, old.kind, old.currency, old.period_start,
        old.period_end, old.subtotal, old.tax_country, old.tax_basis_points, old.tax, old.total, old.issued_at)
       or (new.workspace_id is distinct from old.workspace_id and new.workspace_id is not null)
       or (new.subscription_id is distinct from old.subscription_id and new.subscription_id is not null) then
        raise exception 'a finalized invoice never changes: issue a credit note' using errcode = 'check_violation';
    end if;
    return new;
end
$$;
