Console.WriteLine("control");
