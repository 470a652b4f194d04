//! The event loop on a real terminal: raw mode and the alternate screen (restored on the way
//! out, also after an error), keys to the state, actions to the session, and a reload when the
//! study changed on disk.

use std::time::Duration;

use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::prelude::CrosstermBackend;
use ratatui::Terminal;

use crate::session::{Options, Session};
use crate::state::Action;
use crate::{render, WorkbenchError};

/// How often the study is looked at for changes by others, while no key is pressed.
const LOOK: Duration = Duration::from_millis(500);

/// Start the workbench on `options` and run it until the researcher quits.
pub fn run(options: Options) -> Result<(), WorkbenchError> {
    // Read the study before touching the terminal, so an error is printed on a normal screen.
    let mouse = options.mouse;
    let (mut session, mut workbench) = Session::new(options)?;
    enable_raw_mode()?;
    let mut stdout = std::io::stdout();
    if let Err(e) = execute!(stdout, EnterAlternateScreen) {
        let _ = disable_raw_mode();
        return Err(e.into());
    }
    // A terminal that does not report the mouse ignores the request.
    if mouse {
        let _ = execute!(stdout, EnableMouseCapture);
    }
    let result = (|| -> Result<(), WorkbenchError> {
        let mut terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
        loop {
            terminal.draw(|frame| render::draw(frame, &mut workbench))?;
            if !event::poll(LOOK)? {
                if session.changed(&workbench.document.meta.id) {
                    let fresh = session.load(&workbench.document.meta.id)?;
                    workbench.refresh(fresh);
                    workbench.status = "reloaded: the study changed on disk".to_owned();
                }
                continue;
            }
            let action = match event::read()? {
                Event::Key(key) if key.kind != KeyEventKind::Release => workbench.key(key),
                Event::Mouse(m) => workbench.mouse(m),
                _ => continue, // a resize redraws
            };
            let open = match &action {
                Action::None => continue,
                Action::Quit => return Ok(()),
                Action::Search(query) => {
                    match session.search(query) {
                        Ok(hits) => {
                            workbench.status = format!("{} “{query}”", turns(hits.len()));
                            workbench.show_hits(query.clone(), hits);
                        }
                        Err(e) => workbench.status = message(&e),
                    }
                    continue;
                }
                Action::Documents => {
                    match session.documents() {
                        Ok(rows) => workbench.show_documents(rows),
                        Err(e) => workbench.status = message(&e),
                    }
                    continue;
                }
                Action::Jump { document, at } => {
                    if *document != workbench.document.meta.id {
                        let fresh = session.load(document)?;
                        workbench.refresh(fresh);
                    }
                    workbench.jump_to(*at);
                    workbench.status = workbench.place(thema_core::Span { start: *at, end: *at });
                    continue;
                }
                Action::Open(id) => id.clone(),
                _ => workbench.document.meta.id.clone(),
            };
            let said = session.apply(&workbench, &action).unwrap_or_else(|e| message(&e));
            let fresh = session.load(&open)?;
            workbench.refresh(fresh);
            if matches!(
                action,
                Action::Code { .. } | Action::NewCode { .. } | Action::InVivo { .. } | Action::Uncode { .. }
            ) && !said.starts_with("error")
            {
                workbench.selection = None;
            }
            workbench.status = said;
        }
    })();
    if mouse {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
    }
    let _ = disable_raw_mode();
    let _ = execute!(std::io::stdout(), LeaveAlternateScreen);
    result
}

/// An error for the status line, with its hint.
fn message(e: &WorkbenchError) -> String {
    match e.hint() {
        Some(hint) => format!("error: {e} (hint: {hint})"),
        None => format!("error: {e}"),
    }
}

/// `1 turn matches`, `12 turns match`.
fn turns(n: usize) -> String {
    if n == 1 {
        "1 turn matches".to_owned()
    } else {
        format!("{n} turns match")
    }
}
