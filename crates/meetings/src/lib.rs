//! Committee administration (issue 13): committees and their members, agendas built from cases'
//! memos, notices, the meeting, minutes with numbered paragraphs, adjustment, the notice board,
//! and extracts registered back into each case.
