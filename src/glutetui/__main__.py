from glutetui.entry import main

raise SystemExit(main())
