"""The help desks that use call mode: a staff account belongs to one, and a contact in contacts.yaml may
name one (`desk:`), which makes its outcomes that desk's own (tier-1 steps) and the others' transfers.
Their names and tier-2 reasons are content: `staff.desks` in text/<language>.yaml."""

DESKS = ("gsc", "dmdc")  # DHA Global Service Center, DMDC
