"""No Qt, ever: the engine, runs, data, lessons, arithmetic, numbers, files and trace."""
