-- Migration 9: project scoping — the projects a programme manager manages
-- (a JSON array of project names, as cases name them). A manager with
-- projects sees the cases of their offices and of their projects; one
-- without sees every office.
ALTER TABLE users ADD COLUMN projects TEXT;
CREATE INDEX cases_project ON cases(project, pk) WHERE project IS NOT NULL;
