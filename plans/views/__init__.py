"""The plan pages: the plans and their versions, the planning matrix, measures, indicators,
consultations, what is still unplanned, the focal points' proposals, and the plan's
spreadsheet (export, and import with a dry run).

Views are thin: a selector reads (scoped by ``plans.policies``), a service writes, and the
policies decide which controls a page shows. A refused write is a 403; a draft plan one may not
see is a 404; a change to an adopted plan is the services' ``FrozenError``, shown as a 409 page
with its reason.
"""
