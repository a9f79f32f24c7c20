"""Small reusable widgets of the shell: honest empty states, titled cards, status chips, busy indicators."""
