; syscall: a system call round trip from user mode, int 0x80 and iret back (N times).
        .include "kernel.s"
NAME:   .asciz "syscall: "

bench:  mov     r0, 0x80
        mov     r1, sys_return
        mov     r2, 3
        call    set_gate
        mov     r0, 0x81
        mov     r1, report
        mov     r2, 3
        call    set_gate
        mov     r0, user
        jmp     enter_user

sys_return:
        iret

user:   mov     r4, N
loop:   int     0x80
        sub     r4, 1
        jnz     loop
        int     0x81
