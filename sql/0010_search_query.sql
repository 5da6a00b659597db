-- The standalone search query a follow-up question was rewritten into (by the
-- language model, once per message), so it is never asked for twice and an
-- export shows what was searched. Null: the question was searched as asked.
alter table messages
  add column search_query text check (length(search_query) <= 2000);
