; hello: bare metal, no interrupts, no paging. Prints a line on the console UART and
; ends the run through the exit port with code 0.
        .entry  start
        .equ    CONSOLE, 0x3f8
        .equ    EXIT, 0xf4

start:  mov     r1, message
next:   ldb     r0, [r1]
        cmp     r0, 0
        jz      done
        out     CONSOLE, r0
        add     r1, 1
        jmp     next
done:   mov     r0, 0
        out     EXIT, r0

message: .asciz "Hello from VX32!\n"
