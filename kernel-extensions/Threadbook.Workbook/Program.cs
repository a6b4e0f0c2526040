using Threadbook.Workbook;

return await WorkbookCli.RunAsync(args, Console.Out, Console.Error);
