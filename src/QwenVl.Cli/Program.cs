using QwenVl.Cli;

return QwenVlCommandLine.Run(args, Console.Out, Console.Error);
